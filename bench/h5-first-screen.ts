import 'reflect-metadata';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { ROOT_DIR, loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { createApp } from '../server/src/app';
import { createLogger } from '../server/src/logger';
import { systemClock } from '../server/src/clock';
import { h5Site } from '../server/src/h5-site';
import { seedDemo } from '../server/src/seed/demo-seed';

/**
 * The H5 client's first screen as a phone on a slow network sees it (issue 14.7): the real server (SQLite,
 * demo seed, WECHAT_MODE=dev) serves a built client; Debian's Chromium loads it with DevTools' "Slow 4G"
 * profile (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up) and a 4× CPU slowdown, both set over CDP.
 * Each round is a fresh browser context (cold cache); a "repeat" visit reloads in the same context.
 *
 *   npx tsx bench/h5-first-screen.ts [--dir client/dist/h5] [--rounds 3] [--json out.json]
 *
 * Figures (ms from navigation start, medians of the rounds with min..max):
 *  - firstText: the first Chinese character painted inside #app (the static app shell of index.html counts);
 *  - appText: the first Chinese character that the app itself rendered (the shell's own text does not count);
 *  - picker: a signed-out visitor sees the demo-member picker (the member login page);
 *  - home: a signed-in member sees their balance (home's three API calls answered);
 *  - repeatHome: the same member opening the app again (cached, hashed assets not revalidated).
 * Also the first screen's JavaScript bytes on the wire and gzip-sized, and the largest JS file.
 */
export const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
export const CPU_SLOWDOWN = 4;

export interface FirstScreen {
  dir: string;
  rounds: number;
  firstText: Stat;
  appText: Stat;
  picker: Stat;
  home: Stat;
  repeatHome: Stat;
  firstScreenJsWireBytes: number;
  firstScreenJsGzipBytes: number;
  firstScreenRequests: number;
  largestJsBytes: number;
  jsFiles: number;
}
export interface Stat {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function stat(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)]! + (s.length % 2 === 0 ? (s[s.length / 2]! - s[s.length / 2 - 1]!) / 2 : 0), min: s[0]!, max: s[s.length - 1]!, values };
}

/** Records, in the page, when the first Chinese text appears in #app and when `selector` appears. */
const WATCH = `(() => {
  const marks = (window.__marks = {});
  const cjk = /[\\u4e00-\\u9fff]/;
  const check = () => {
    const app = document.getElementById('app');
    if (!app) return;
    const all = app.textContent || '';
    if (marks.firstText === undefined && cjk.test(all)) marks.firstText = performance.now();
    if (marks.appText === undefined) {
      let own = all;
      for (const s of document.querySelectorAll('.jf-shell')) own = own.replace(s.textContent || '', '');
      if (cjk.test(own)) marks.appText = performance.now();
    }
    if (marks.picker === undefined && document.querySelector('.jf-login-member')) marks.picker = performance.now();
    if (marks.home === undefined) { const b = document.querySelector('.jf-balance'); if (b && /\\d/.test(b.textContent || '')) marks.home = performance.now(); }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})()`;

async function serve(h5Dir: string): Promise<{ url: string; memberToken: (name: string) => Promise<string>; close: () => Promise<void> }> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'jifen-h5bench-'));
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', WECHAT_MODE: 'dev', DATABASE_URL: `sqlite:${path.join(tmp, 'db.sqlite')}`, LOG_LEVEL: 'silent', EXPIRY_INTERVAL_MINUTES: '0' });
  const ds = await openDatabase(config.databaseUrl);
  await seedDemo(ds, config, systemClock());
  const log = createLogger('silent');
  const site = h5Site({ h5Dir, dataDir: tmp, cwd: ROOT_DIR, log, build: false });
  const app = createApp(createServices(ds, config, systemClock), log, site.middleware);
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    memberToken: async (name) => {
      const res = await fetch(`${url}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `dev:${name}` }) });
      const body = (await res.json()) as { token: string };
      return body.token;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await ds.destroy();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

interface Visit {
  marks: Record<string, number>;
  jsWire: number;
  jsUrls: string[];
  requests: number;
}

async function visit(browser: Browser, url: string, opts: { token?: string; waitFor: string; repeat?: boolean }): Promise<{ first: Visit; repeat?: Visit }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
  try {
    if (opts.token) await context.addInitScript(`localStorage.setItem('jf.member.token', ${JSON.stringify(JSON.stringify({ data: opts.token }))})`);
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const once = async (go: () => Promise<unknown>): Promise<Visit> => {
      const wire = new Map<string, number>();
      const urls = new Map<string, string>();
      const onResponse = (e: { requestId: string; response: { url: string } }) => urls.set(e.requestId, e.response.url);
      const onFinished = (e: { requestId: string; encodedDataLength: number }) => wire.set(e.requestId, e.encodedDataLength);
      cdp.on('Network.responseReceived', onResponse);
      cdp.on('Network.loadingFinished', onFinished);
      await go();
      // A function, not a string: the server's CSP has no 'unsafe-eval', and Playwright evals a string predicate.
      await page.waitForFunction((k) => (globalThis as unknown as { __marks?: Record<string, number> }).__marks?.[k] !== undefined, opts.waitFor, { timeout: 120_000, polling: 100 });
      const marks = (await page.evaluate('window.__marks')) as Record<string, number>;
      cdp.off('Network.responseReceived', onResponse);
      cdp.off('Network.loadingFinished', onFinished);
      let jsWire = 0;
      const jsUrls: string[] = [];
      for (const [id, u] of urls) {
        if (/\.js(\?|$)/.test(u)) {
          jsWire += wire.get(id) ?? 0;
          jsUrls.push(new URL(u).pathname);
        }
      }
      return { marks, jsWire, jsUrls, requests: urls.size };
    };
    const first = await once(() => page.goto(url, { waitUntil: 'commit' }));
    const repeat = opts.repeat ? await once(() => page.reload({ waitUntil: 'commit' })) : undefined;
    return { first, repeat };
  } finally {
    await context.close();
  }
}

export async function measureFirstScreen(h5Dir: string, rounds = 3, log: (s: string) => void = () => undefined): Promise<FirstScreen> {
  if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error(`no H5 build in ${h5Dir}: run npm run build:h5`);
  const srv = await serve(h5Dir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const token = await srv.memberToken('alice');
    const firstText: number[] = [];
    const appText: number[] = [];
    const picker: number[] = [];
    const home: number[] = [];
    const repeatHome: number[] = [];
    let jsUrls: string[] = [];
    let jsWire = 0;
    let requests = 0;
    for (let i = 0; i < rounds; i++) {
      const out = await visit(browser, srv.url, { waitFor: 'picker' });
      firstText.push(Math.round(out.first.marks.firstText!));
      appText.push(Math.round(out.first.marks.appText!));
      picker.push(Math.round(out.first.marks.picker!));
      const signedIn = await visit(browser, srv.url, { token, waitFor: 'home', repeat: true });
      home.push(Math.round(signedIn.first.marks.home!));
      repeatHome.push(Math.round(signedIn.repeat!.marks.home!));
      jsUrls = signedIn.first.jsUrls;
      jsWire = signedIn.first.jsWire;
      requests = signedIn.first.requests;
      log(`round ${i + 1}: first text ${firstText[i]} ms, app's own text ${appText[i]} ms, picker ${picker[i]} ms, home ${home[i]} ms, repeat visit ${repeatHome[i]} ms`);
    }
    const jsGzip = jsUrls.reduce((s, u) => {
      const f = path.join(h5Dir, u);
      return s + (existsSync(f) ? gzipSync(readFileSync(f), { level: 9 }).length : 0);
    }, 0);
    const jsDir = path.join(h5Dir, 'js');
    const files = readdirSync(jsDir).filter((f) => f.endsWith('.js'));
    return {
      dir: path.relative(ROOT_DIR, h5Dir) || h5Dir,
      rounds,
      firstText: stat(firstText),
      appText: stat(appText),
      picker: stat(picker),
      home: stat(home),
      repeatHome: stat(repeatHome),
      firstScreenJsWireBytes: jsWire,
      firstScreenJsGzipBytes: jsGzip,
      firstScreenRequests: requests,
      largestJsBytes: Math.max(...files.map((f) => statSync(path.join(jsDir, f)).size)),
      jsFiles: files.length,
    };
  } finally {
    await browser.close();
    await srv.close();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const dir = path.resolve(arg('dir', path.join(ROOT_DIR, 'client/dist/h5')));
  const rounds = Number(arg('rounds', '3'));
  measureFirstScreen(dir, rounds, (s) => process.stdout.write(`${s}\n`))
    .then((r) => {
      const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
      const f = (s: Stat) => `${s.median} ms (${s.min}..${s.max})`;
      process.stdout.write(
        [
          `H5 first screen, ${r.dir}, slow 4G + ${CPU_SLOWDOWN}x CPU, medians of ${r.rounds} cold visits:`,
          `  first Chinese text   ${f(r.firstText)}`,
          `  app's own text       ${f(r.appText)}`,
          `  member picker        ${f(r.picker)}`,
          `  home with balance    ${f(r.home)}`,
          `  repeat visit (home)  ${f(r.repeatHome)}`,
          `  first-screen JS      ${kb(r.firstScreenJsWireBytes)} on the wire, ${kb(r.firstScreenJsGzipBytes)} gzip -9; ${r.firstScreenRequests} requests`,
          `  ${r.jsFiles} JS files, largest ${kb(r.largestJsBytes)}`,
          '',
        ].join('\n'),
      );
      const out = arg('json', '');
      if (out) require('node:fs').writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
    })
    .catch((e) => {
      process.stderr.write(`h5-first-screen: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    });
}
