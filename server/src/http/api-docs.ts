import type Koa from 'koa';
import type { OpenApiDocument } from './openapi';

/**
 * GET /api/docs: the API reference as one static HTML page, rendered on the server from the OpenAPI
 * document (no script or stylesheet from anywhere else, so it works offline and behind any proxy). A small
 * inline script only filters the list. Chosen over a renderer from npm: swagger-ui-dist is a 12 MB
 * production dependency whose @scarf/scarf dependency reports installs, redoc and Scalar pull in React or
 * Vue stacks; this page is one small module, speaks Chinese first, and shows each route's roles.
 */
export function apiDocsPage(doc: () => OpenApiDocument): Koa.Middleware {
  let html: string | null = null;
  return async (ctx, next) => {
    if (ctx.path !== '/api/docs' && ctx.path !== '/api/docs/') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    html ??= renderApiDocs(doc());
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    ctx.body = html;
  };
}

type Json = Record<string, any>;

function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inlineMd(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function json(v: unknown): string {
  return esc(JSON.stringify(v, null, 2));
}

const METHOD_COLORS: Record<string, string> = { get: '#2f7d5b', post: '#c0581b', put: '#7a4fb5', patch: '#8a6d1d', delete: '#b23a3a' };

function accessBadges(access: unknown): string {
  if (access === 'public') return '<span class="badge public">公开 public</span>';
  if (access === 'member') return '<span class="badge member">会员 member</span>';
  return (access as string[]).map((r) => `<span class="badge staff">${esc(r)}</span>`).join(' ');
}

export function renderApiDocs(doc: OpenApiDocument): string {
  const ops: { tag: string; method: string; path: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) ops.push({ tag: op.tags?.[0] ?? 'other', method, path, op });
  }
  const tags = [...new Set(ops.map((o) => o.tag))];
  const anchor = (o: { op: Json }) => esc(o.op.operationId);
  const toc = tags
    .map(
      (tag) =>
        `<h3>${esc(tag)}</h3><ul>${ops
          .filter((o) => o.tag === tag)
          .map((o) => `<li class="op" data-text="${esc(`${o.method} ${o.path} ${o.op.summary} ${JSON.stringify(o.op['x-access'])}`.toLowerCase())}"><a href="#${anchor(o)}"><b class="m" style="background:${METHOD_COLORS[o.method] ?? '#555'}">${o.method.toUpperCase()}</b> <code>${esc(o.path)}</code></a> ${accessBadges(o.op['x-access'])}</li>`)
          .join('')}</ul>`,
    )
    .join('');
  const sections = ops.map((o) => operationHtml(o, anchor(o))).join('\n');
  const info = doc.info as Json;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)} · 接口文档</title>
<style>
body{margin:0;font:14px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#faf8f5}
header{background:#e8541e;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.5rem}header p{margin:.3rem 0 0;opacity:.95}
header a{color:#fff}.wrap{display:flex;align-items:flex-start}
nav{position:sticky;top:0;width:25rem;max-height:100vh;overflow:auto;padding:1rem 1.2rem;box-sizing:border-box;border-right:1px solid #e6e0d8;background:#fff}
nav h3{margin:1rem 0 .3rem;font-size:.85rem;text-transform:uppercase;color:#8a8580}nav ul{list-style:none;margin:0;padding:0}nav li{margin:.15rem 0}
nav a{text-decoration:none;color:#222}main{flex:1;min-width:0;padding:1rem 2rem 4rem}
input[type=search]{width:100%;padding:.45rem .6rem;border:1px solid #d8d2ca;border-radius:6px;font-size:14px;box-sizing:border-box}
.m{display:inline-block;min-width:3.6rem;text-align:center;color:#fff;border-radius:4px;font-size:.72rem;padding:0 .3rem}
.badge{display:inline-block;border-radius:10px;padding:0 .5rem;font-size:.72rem;background:#eee;color:#444}.badge.public{background:#e3f1ea;color:#2f7d5b}
.badge.member{background:#e6eefb;color:#3566c8}.badge.staff{background:#fbeee6;color:#c0581b}
section.op{background:#fff;border:1px solid #e6e0d8;border-radius:8px;padding:1rem 1.3rem;margin:1rem 0}section.op h2{margin:0 0 .4rem;font-size:1.05rem}
table{border-collapse:collapse;margin:.4rem 0;width:100%}td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;vertical-align:top}th{font-weight:600;color:#666;font-size:.8rem}
pre{background:#f6f3ef;border-radius:6px;padding:.6rem .8rem;overflow:auto;font-size:12px;margin:.3rem 0}code{font-size:.9em}
details summary{cursor:pointer;color:#555;margin:.3rem 0}.intro{max-width:60rem}.intro p{margin:.4rem 0}
@media (max-width:800px){.wrap{display:block}nav{position:static;width:auto;max-height:none;border-right:0}main{padding:1rem}}
</style></head><body>
<header><h1>${esc(info.title)} <small>v${esc(info.version)}</small> · 接口文档</h1>
<p>${ops.length} 个接口,路径前缀 <code>${esc(doc.servers?.[0]?.url ?? '')}</code> · 机器可读版本:<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>(OpenAPI ${esc(doc.openapi)})</p></header>
<div class="wrap"><nav><input type="search" id="q" placeholder="筛选:路径、角色、说明…" aria-label="筛选接口">${toc}</nav>
<main><div class="intro">${String(info.description ?? '')
    .split('\n\n')
    .map((p) => `<p>${inlineMd(p)}</p>`)
    .join('')}</div>
${sections}</main></div>
<script>
document.getElementById('q').addEventListener('input', function (e) {
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll('li.op').forEach(function (li) { li.style.display = !q || li.getAttribute('data-text').indexOf(q) >= 0 ? '' : 'none'; });
  document.querySelectorAll('section.op').forEach(function (s) { s.style.display = !q || s.getAttribute('data-text').indexOf(q) >= 0 ? '' : 'none'; });
  document.querySelectorAll('nav ul').forEach(function (ul) {
    var shown = Array.prototype.some.call(ul.children, function (li) { return li.style.display !== 'none'; });
    ul.style.display = shown ? '' : 'none';
    ul.previousElementSibling.style.display = shown ? '' : 'none';
  });
});
</script></body></html>
`;
}

function operationHtml(o: { method: string; path: string; op: Json }, id: string): string {
  const op = o.op;
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody?.content as Json | undefined;
  const [bodyType, bodyMedia] = body ? (Object.entries(body)[0] as [string, Json]) : [null, null];
  const responses = Object.entries(op.responses as Json);
  const okEntries = responses.filter(([st]) => st.startsWith('2'));
  const errEntries = responses.filter(([st]) => !st.startsWith('2'));
  const errors = errEntries.flatMap(([st, res]) =>
    Object.entries(((res as Json).content?.['application/json']?.examples ?? {}) as Json).map(
      ([code, ex]) => `<tr><td>${esc(st)}</td><td><code>${esc(code)}</code></td><td>${esc(ex.value.error.message)}</td><td>${esc(ex.value.error.messageEn)}</td></tr>`,
    ),
  );
  return `<section class="op" id="${id}" data-text="${esc(`${o.method} ${o.path} ${op.summary} ${JSON.stringify(op['x-access'])}`.toLowerCase())}">
<h2><b class="m" style="background:${METHOD_COLORS[o.method] ?? '#555'}">${o.method.toUpperCase()}</b> <code>${esc(o.path)}</code></h2>
<p>${inlineMd(op.summary ?? '')}</p>
<p>权限 Access: ${accessBadges(op['x-access'])}</p>
${
  params.length
    ? `<table><tr><th>参数</th><th>位置</th><th>必填</th><th>Schema</th></tr>${params
        .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? '是' : '否'}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`)
        .join('')}</table>`
    : ''
}
${
  bodyType
    ? `<details><summary>请求体 Request body (${esc(bodyType)})</summary><pre>${json(bodyMedia!.schema)}</pre></details>${bodyMedia!.example !== undefined ? `<div>示例 Example:</div><pre>${json(bodyMedia!.example)}</pre>` : ''}`
    : ''
}
${okEntries
  .map(([st, res]) => {
    const [type, media] = Object.entries(((res as Json).content ?? {}) as Json)[0] ?? [null, null];
    return `<div>响应 Response <b>${esc(st)}</b>${type ? ` (${esc(type)})` : ''}</div>${
      media?.example !== undefined ? `<pre>${json(media.example)}</pre>` : ''
    }${media?.schema && type === 'application/json' ? `<details><summary>响应 Schema</summary><pre>${json(media.schema)}</pre></details>` : ''}`;
  })
  .join('')}
${errors.length ? `<table><tr><th>状态</th><th>错误码</th><th>中文</th><th>English</th></tr>${errors.join('')}</table>` : ''}
</section>`;
}
