import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The real product for browser tests: `tsx server/src/main.ts` on a fresh SQLite file (demo seed included,
 * as `npm start` does) serving the H5 build, and Debian's Chromium driven by playwright-core.
 */
const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test/e2e/__screenshots__');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  baseUrl: string;
  stop: () => Promise<void>;
  output: () => string;
}

export async function startServer(): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jifen-e2e-'));
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${path.join(dir, 'e2e.sqlite')}`, DATA_DIR: dir, NODE_ENV: 'development', WECHAT_MODE: 'dev', LOG_LEVEL: 'warn', EXPIRY_INTERVAL_MINUTES: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A page that records every console error, page error and failed request; the tests assert none. */
export async function openPage(
  browser: Browser,
  opts: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width, height: opts.height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    // Expected refusals (409 etc.) are part of the flows; a 5xx never is.
    if (res.status() >= 500) problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return { context, page, problems };
}

/**
 * Waits until Taro's router has finished moving pages: exactly one page on screen and not sliding. (Between a
 * navigation and the end of its 300 ms slide both pages are displayed, and a screenshot catches them half-way.)
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('.taro_page')].filter((p) => p.getClientRects().length > 0 && getComputedStyle(p).display !== 'none');
    if (shown.length !== 1) return false;
    const t = getComputedStyle(shown[0]!).transform;
    return t === 'none' || t === 'matrix(1, 0, 0, 1, 0, 0)';
  });
}

/**
 * A screenshot of the whole page. Taro scrolls inside the page's div.taro_page, not the document, so a plain
 * full-page capture would stop at the viewport: the viewport is made as tall as the content for the shot.
 */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await settle(page);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  const viewport = page.viewportSize();
  // The page's own scroller, taken to the top for the shot (and put back afterwards).
  const { extra, scrolled } = await page.evaluate(() => {
    const p = [...document.querySelectorAll<HTMLElement>('.taro_page')].find((x) => x.getClientRects().length > 0 && getComputedStyle(x).display !== 'none');
    if (!p) return { extra: 0, scrolled: 0 };
    const scrolledBy = p.scrollTop;
    p.scrollTop = 0;
    return { extra: Math.max(0, p.scrollHeight - p.clientHeight), scrolled: scrolledBy };
  });
  try {
    if (!viewport || extra === 0) {
      await page.screenshot({ path: file, fullPage: true });
      return;
    }
    await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + extra, 6000) });
    try {
      // Two frames: the resize is laid out and painted.
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      await page.screenshot({ path: file, fullPage: true });
    } finally {
      await page.setViewportSize(viewport);
    }
  } finally {
    if (scrolled > 0) {
      await page.evaluate((top) => {
        const p = [...document.querySelectorAll<HTMLElement>('.taro_page')].find((x) => x.getClientRects().length > 0 && getComputedStyle(x).display !== 'none');
        if (p) p.scrollTop = top;
      }, scrolled);
    }
  }
}

/**
 * One real server and one browser for a test file: started before its tests, stopped after. Browser tests
 * get 120 s each (Jest reads testTimeout only from the top-level config, so the file sets its own).
 */
export function useProduct(): { server: RunningServer; browser: Browser } {
  jest.setTimeout(120_000);
  const product = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    product.server = await startServer();
    product.browser = await launchBrowser();
  });
  afterAll(async () => {
    await product.browser?.close();
    await product.server?.stop();
  });
  return product;
}
