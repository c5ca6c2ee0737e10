import { openPage, shot, useProduct } from './harness';


describe('H5 build served by the real server', () => {
  const product = useProduct();

  test('the app shell loads at / with no console error or failed request', async () => {
    const { page, problems, context } = await openPage(product.browser, { width: 375, height: 812 });
    const res = await page.goto(product.server.baseUrl + '/', { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    await page.waitForSelector('.taro_page', { timeout: 20_000 });
    expect(await page.title()).not.toBe('');
    await shot(page, 'smoke-first-load');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the page runs under its Content-Security-Policy and security headers (issue 8.7): no violation on load or sign-in', async () => {
    const { page, problems, context } = await openPage(product.browser, { width: 375, height: 812 });
    await page.addInitScript(() => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolations: string[] }).__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(product.server.baseUrl + '/', { waitUntil: 'networkidle' });
    const headers = res!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect([headers['x-content-type-options'], headers['x-frame-options'], headers['referrer-policy']]).toEqual(['nosniff', 'DENY', 'no-referrer']);
    await page.waitForSelector('.taro_page', { timeout: 20_000 });
    // The API answers the page's calls under the same headers.
    const api = await page.evaluate(async () => (await fetch('/api/v1/health')).status);
    expect(api).toBe(200);
    await page.waitForTimeout(500);
    await shot(page, 'smoke-under-csp');
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
