import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import serve from 'koa-static';
import type { Logger } from './logger';

/**
 * The H5 client at `/`. In development (`npm start` on a fresh clone) a missing build is made in the
 * background so the API answers at once: until the build is there `/` shows a Chinese 正在构建 page that
 * refreshes itself, and the log says what is happening and how long the last build took (remembered in
 * the data folder). Production never builds: the image or `npm run build` made the client beforehand.
 */
export interface H5SiteOptions {
  h5Dir: string;
  /** Where the last build's duration and the build log are kept (the git-ignored data/ folder). */
  dataDir: string;
  /** Working folder of the build command. */
  cwd: string;
  log: Logger;
  /** Build a missing client in the background (development); false in production. */
  build: boolean;
  /** The build command; `npm run build:h5` unless a test says otherwise. */
  command?: readonly string[];
  /** Seconds the 正在构建 page waits before reloading itself. */
  refreshSeconds?: number;
}

export type H5State = 'ready' | 'building' | 'failed' | 'missing';

export interface H5Site {
  middleware: Koa.Middleware[];
  state: () => H5State;
  /** Resolves when a background build ends (at once when none runs). */
  settled: Promise<H5State>;
  /** Stops a running build (server shutdown). */
  stop: () => void;
}

const STATS_FILE = 'h5-build.json';
const LOG_FILE = 'h5-build.log';

/** The last build's duration in ms, if one finished here before. */
export function lastBuildMs(dataDir: string): number | null {
  try {
    const v = JSON.parse(readFileSync(path.join(dataDir, STATS_FILE), 'utf8')) as { lastBuildMs?: unknown };
    return typeof v.lastBuildMs === 'number' && Number.isInteger(v.lastBuildMs) && v.lastBuildMs > 0 ? v.lastBuildMs : null;
  } catch {
    return null;
  }
}

export function h5Site(o: H5SiteOptions): H5Site {
  const indexFile = path.join(o.h5Dir, 'index.html');
  const refreshSeconds = o.refreshSeconds ?? 3;
  let state: H5State = existsSync(indexFile) ? 'ready' : 'missing';
  let child: ChildProcess | null = null;
  let startedAt = 0;
  const previousMs = lastBuildMs(o.dataDir);
  let settled: Promise<H5State> = Promise.resolve(state);

  if (state === 'missing' && o.build) {
    const command = o.command ?? ['npm', 'run', 'build:h5'];
    mkdirSync(o.dataDir, { recursive: true });
    const logPath = path.join(o.dataDir, LOG_FILE);
    const logFd = openSync(logPath, 'w');
    state = 'building';
    startedAt = Date.now();
    const hint = previousMs ? `the last build here took ${seconds(previousMs)} s` : 'the first build takes one to two minutes on two cores';
    o.log.info(`H5 client not built yet: building it in the background (${command.join(' ')}; ${hint}; output in ${logPath}). The API answers meanwhile; / shows a 正在构建 page until it is done.`);
    child = spawn(command[0]!, command.slice(1), { cwd: o.cwd, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    settled = new Promise<H5State>((resolve) => {
      const finish = (ok: boolean, why: string) => {
        child = null;
        const ms = Date.now() - startedAt;
        if (ok && existsSync(indexFile)) {
          state = 'ready';
          writeFileSync(path.join(o.dataDir, STATS_FILE), `${JSON.stringify({ lastBuildMs: ms, finishedAt: new Date().toISOString() })}\n`);
          o.log.info(`H5 client built in ${seconds(ms)} s: / now serves it.`);
        } else {
          state = 'failed';
          o.log.warn(`H5 build failed after ${seconds(ms)} s (${why}); the API still runs. See ${logPath}, then run npm run build:h5 and restart.`);
        }
        resolve(state);
      };
      child!.on('error', (e) => finish(false, e.message));
      child!.on('exit', (code, signal) => finish(code === 0, signal ? `stopped by ${signal}` : `exit code ${code}`));
    });
  } else if (state === 'missing') {
    o.log.warn(`H5 client missing (${indexFile}): the API runs, / has no client. Build it with npm run build:h5.`);
  }

  const buildingPage: Koa.Middleware = async (ctx, next) => {
    const page = ctx.method === 'GET' || ctx.method === 'HEAD' ? ctx.path === '/' || ctx.path === '/index.html' : false;
    if (!page || (state !== 'building' && state !== 'failed')) return next();
    ctx.status = 503;
    ctx.set('Cache-Control', 'no-store');
    if (state === 'building') ctx.set('Retry-After', String(refreshSeconds));
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = state === 'building' ? buildingHtml(Date.now() - startedAt, previousMs, refreshSeconds) : failedHtml(path.join(o.dataDir, LOG_FILE));
  };

  return {
    middleware: [buildingPage, staticFiles(o.h5Dir)],
    state: () => state,
    settled,
    stop: () => {
      child?.kill('SIGTERM');
    },
  };
}

/** A file name with a content hash from the build (`app.c7fbfb0e.js`): its content never changes. */
const HASHED = /\.[0-9a-f]{8,}\.(js|css|png|jpe?g|gif|svg|webp|woff2?|ttf)$/;

/**
 * Precompressed files (`x.js.br`, `x.js.gz`, written by the build's scripts/h5-compress.mjs) go to browsers that
 * accept them; hashed assets are cached for a year without revalidation, index.html and anything else is
 * revalidated on every visit (no-cache), so a new build is picked up at once (issue 14.7).
 */
function staticFiles(h5Dir: string): Koa.Middleware {
  return serve(h5Dir, {
    index: 'index.html',
    brotli: true,
    gzip: true,
    setHeaders: (res, file) => {
      res.setHeader('Vary', 'Accept-Encoding');
      const name = file.replace(/\.(br|gz)$/, '');
      res.setHeader('Cache-Control', HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}

function shell(title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<title>${title} · 积分</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#faf7f2;color:#2b2b2b;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{max-width:30rem;padding:2rem;text-align:center}h1{color:#e8541e;font-size:1.6rem}p{line-height:1.7;color:#555}code{background:#eee;padding:0 .3em;border-radius:3px}
.bar{height:6px;background:#eee;border-radius:3px;overflow:hidden;margin:1.5rem 0}.bar i{display:block;height:100%;background:#e8541e;border-radius:3px}</style>
</head><body><main>${body}</main></body></html>`;
}

function buildingHtml(elapsedMs: number, previousMs: number | null, refreshSeconds: number): string {
  const elapsed = seconds(elapsedMs);
  const pct = previousMs ? Math.min(95, Math.round((elapsedMs / previousMs) * 100)) : null;
  const eta = previousMs ? `上次构建用时 ${seconds(previousMs)} 秒,` : '首次构建约需一到两分钟,';
  return shell(
    '正在构建…',
    `<h1>正在构建…</h1>
<p>网页客户端尚未构建,服务器正在后台构建它(<code>npm run build:h5</code>)。${eta}已用 ${elapsed} 秒。</p>
${pct !== null ? `<div class="bar"><i style="width:${pct}%"></i></div>` : ''}<p>本页每 ${refreshSeconds} 秒自动刷新,构建完成后即显示应用。接口已可用:<a href="/api/v1/health">/api/v1/health</a> · <a href="/api/docs">接口文档</a></p>`,
    refreshSeconds,
  );
}

function failedHtml(logPath: string): string {
  return shell(
    '构建失败',
    `<h1>构建失败</h1><p>网页客户端构建失败,接口仍然可用。请查看 <code>${logPath.replace(/[<>&]/g, '')}</code>,运行 <code>npm run build:h5</code> 后重启服务器。</p>`,
  );
}
