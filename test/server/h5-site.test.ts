import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Koa from 'koa';
import { createLogger } from '../../server/src/logger';
import { h5Site, lastBuildMs } from '../../server/src/h5-site';

/**
 * The first `npm start` (issue 12): a missing H5 client is built in the background while the server
 * answers; `/` shows a self-refreshing 正在构建 page until the build is there, then the client; the build's
 * duration is remembered in the data folder and announced next time. The real build (`npm run build:h5`,
 * a minute or two) is replaced by a small command that writes index.html after a moment.
 */
function fakeBuild(h5Dir: string, delayMs: number, exitCode = 0): string[] {
  const script = `setTimeout(() => { require('fs').mkdirSync(${JSON.stringify(h5Dir)}, { recursive: true }); ${
    exitCode === 0 ? `require('fs').writeFileSync(${JSON.stringify(path.join(h5Dir, 'index.html'))}, '<title>jifen h5</title>');` : ''
  } process.exit(${exitCode}); }, ${delayMs});`;
  return [process.execPath, '-e', script];
}

function logSink(): { log: ReturnType<typeof createLogger>; lines: () => string[] } {
  const lines: string[] = [];
  const log = createLogger('info');
  for (const level of ['info', 'warn'] as const) (log as any)[level] = (msg: string) => lines.push(`${level}: ${msg}`);
  return { log, lines: () => lines };
}

async function serve(app: Koa): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('H5 client at / while it builds', () => {
  test('the API answers at once, / shows 正在构建 that refreshes itself, then the client; the duration is remembered', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-h5-'));
    const h5Dir = path.join(dir, 'h5');
    const dataDir = path.join(dir, 'data');
    const sink = logSink();
    const site = h5Site({ h5Dir, dataDir, cwd: dir, log: sink.log, build: true, command: fakeBuild(h5Dir, 1500), refreshSeconds: 2 });
    const app = new Koa();
    for (const mw of site.middleware) app.use(mw);
    app.use((ctx) => {
      if (ctx.path === '/api/v1/health') ctx.body = { ok: true };
    });
    const srv = await serve(app);
    try {
      expect(site.state()).toBe('building');
      expect(sink.lines().join('\n')).toMatch(/building it in the background .*first build takes/);
      const api = await fetch(`${srv.url}/api/v1/health`);
      expect(api.status).toBe(200);
      const page = await fetch(`${srv.url}/`);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('2');
      const html = await page.text();
      expect(html).toContain('正在构建…');
      expect(html).toContain('<meta http-equiv="refresh" content="2">');

      expect(await site.settled).toBe('ready');
      const built = await fetch(`${srv.url}/`);
      expect(built.status).toBe(200);
      expect(await built.text()).toContain('jifen h5');
      const remembered = lastBuildMs(dataDir);
      expect(remembered).toBeGreaterThanOrEqual(1000);
      expect(JSON.parse(readFileSync(path.join(dataDir, 'h5-build.json'), 'utf8')).lastBuildMs).toBe(remembered);
      expect(sink.lines().join('\n')).toMatch(/H5 client built in \d+ s/);
    } finally {
      site.stop();
      await srv.close();
    }

    // The next start with the client missing again says how long the last build took, and the page shows it.
    const again = logSink();
    const next = h5Site({ h5Dir: path.join(dir, 'h5-again'), dataDir, cwd: dir, log: again.log, build: true, command: fakeBuild(path.join(dir, 'h5-again'), 200) });
    expect(again.lines().join('\n')).toMatch(/the last build here took \d+ s/);
    await next.settled;
  });

  test('a failed build leaves the API running and / says 构建失败; production never builds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-h5-'));
    const h5Dir = path.join(dir, 'h5');
    const sink = logSink();
    const site = h5Site({ h5Dir, dataDir: path.join(dir, 'data'), cwd: dir, log: sink.log, build: true, command: fakeBuild(h5Dir, 100, 1) });
    expect(await site.settled).toBe('failed');
    const app = new Koa();
    for (const mw of site.middleware) app.use(mw);
    const srv = await serve(app);
    try {
      const page = await fetch(`${srv.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('构建失败');
    } finally {
      await srv.close();
    }
    expect(sink.lines().join('\n')).toMatch(/H5 build failed .*exit code 1/);
    expect(lastBuildMs(path.join(dir, 'data'))).toBeNull();

    const prod = logSink();
    const none = h5Site({ h5Dir: path.join(dir, 'missing'), dataDir: path.join(dir, 'data2'), cwd: dir, log: prod.log, build: false, command: fakeBuild(path.join(dir, 'missing'), 10) });
    expect(none.state()).toBe('missing');
    expect(await none.settled).toBe('missing');
    expect(existsSync(path.join(dir, 'data2'))).toBe(false);
    expect(prod.lines().join('\n')).toMatch(/H5 client missing/);
  });

  test('an existing client is served as it is', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-h5-'));
    mkdirSync(path.join(dir, 'h5'));
    writeFileSync(path.join(dir, 'h5', 'index.html'), '<title>ready</title>');
    const site = h5Site({ h5Dir: path.join(dir, 'h5'), dataDir: path.join(dir, 'data'), cwd: dir, log: logSink().log, build: true, command: ['false'] });
    expect(site.state()).toBe('ready');
    const app = new Koa();
    for (const mw of site.middleware) app.use(mw);
    const srv = await serve(app);
    try {
      expect(await (await fetch(`${srv.url}/`)).text()).toContain('ready');
    } finally {
      await srv.close();
    }
  });

  test('hashed assets: precompressed (br, else gzip), cached a year as immutable; index.html revalidated (issue 14.7)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-h5-'));
    const h5 = path.join(dir, 'h5');
    mkdirSync(path.join(h5, 'js'), { recursive: true });
    const js = 'console.log("积分");'.repeat(200);
    writeFileSync(path.join(h5, 'index.html'), '<title>ready</title>');
    writeFileSync(path.join(h5, 'js', 'vendor.0123abcd.js'), js);
    writeFileSync(path.join(h5, 'js', 'vendor.0123abcd.js.gz'), gzipSync(js));
    writeFileSync(path.join(h5, 'js', 'vendor.0123abcd.js.br'), brotliCompressSync(js));
    const site = h5Site({ h5Dir: h5, dataDir: path.join(dir, 'data'), cwd: dir, log: logSink().log, build: false });
    const app = new Koa();
    for (const mw of site.middleware) app.use(mw);
    const srv = await serve(app);
    // fetch() would decode the body itself: read raw bytes and headers with node:http.
    const get = (p: string, encoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get(`${srv.url}${p}`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    try {
      const br = await get('/js/vendor.0123abcd.js', 'gzip, deflate, br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/Accept-Encoding/i);
      expect(brotliDecompressSync(br.body).toString()).toBe(js);
      const gz = await get('/js/vendor.0123abcd.js', 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).toString()).toBe(js);
      const plain = await get('/js/vendor.0123abcd.js', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(js);
      for (const p of ['/', '/index.html']) {
        const page = await get(p, 'gzip, br');
        expect(page.body.toString()).toContain('ready');
        expect(page.headers['cache-control']).toBe('no-cache');
      }
    } finally {
      await srv.close();
    }
  });
});

describe('the H5 page under its Content-Security-Policy (issue 8.7)', () => {
  test("the page's inline script is allowed by its hash, nothing else inline; a rebuilt page gets the new hash", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-h5csp-'));
    const h5Dir = path.join(dir, 'h5');
    mkdirSync(h5Dir, { recursive: true });
    const inline = '!function(n){n.document.documentElement.style.fontSize="20px"}(window);';
    writeFileSync(path.join(h5Dir, 'index.html'), `<html><head><script>${inline}</script><script src="/js/app.js"></script></head><body></body></html>`);
    const site = h5Site({ h5Dir, dataDir: path.join(dir, 'data'), cwd: dir, log: createLogger('silent'), build: false });
    const app = new Koa();
    for (const mw of site.middleware) app.use(mw);
    const srv = await serve(app);
    try {
      const csp = (await fetch(`${srv.url}/`)).headers.get('content-security-policy')!;
      expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
    } finally {
      await srv.close();
    }
  });
});
