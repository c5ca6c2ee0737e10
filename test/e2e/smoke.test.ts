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
});
