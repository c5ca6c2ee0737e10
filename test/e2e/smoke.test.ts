import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, shot, startServer, type RunningServer } from './harness';

// jest.config.js gives the e2e project testTimeout: 120000, but Jest 30 takes testTimeout from the global config
// only (a per-project value is ignored and tests get 5 s), so the browser tests set their own.
jest.setTimeout(120_000);

describe('H5 build served by the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the app shell loads at / with no console error or failed request', async () => {
    const { page, problems, context } = await openPage(browser, { width: 375, height: 812 });
    const res = await page.goto(server.baseUrl + '/', { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    await page.waitForSelector('.taro_page', { timeout: 20_000 });
    expect(await page.title()).not.toBe('');
    await shot(page, 'smoke-first-load');
    expect(problems).toEqual([]);
    await context.close();
  });
});
