import type { Page } from 'playwright-core';
import { shot, useProduct } from './harness';
import { el, expectClass, expectText, memberLogin, num, openMember, tab } from './ui';

/**
 * Issue 13.3: alice's 明细 on the demo seed reads as a story: one header per month, newest first, each row's
 * 余额 following from the row below it; and the 全部 / 获得 / 使用 / 过期 tabs filter on the server.
 */
async function rows(page: Page): Promise<{ delta: number; after: number; code: string }[]> {
  const entries = page.locator('.jf-ledger-entry:visible');
  const n = await entries.count();
  const out: { delta: number; after: number; code: string }[] = [];
  for (let i = 0; i < n; i++) {
    const e = entries.nth(i);
    const cls = (await e.getAttribute('class')) ?? '';
    out.push({ delta: num(await e.locator('.jf-entry-delta').innerText()), after: num((await e.locator('.entry-after').innerText()).replace('余额', '')), code: /jf-code-(\w+)/.exec(cls)![1]! });
  }
  return out;
}

describe('member: 明细 in time order, filtered by kind', () => {
  const product = useProduct();

  test('alice: months never repeat, balances chain, 获得 / 使用 / 过期 show only their kind', async () => {
    const { page, problems, context } = await openMember(product.browser);
    const ledgerCalls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/me/ledger')) ledgerCalls.push(new URL(req.url()).search);
    });
    await memberLogin(page, product.server, 'alice');
    await tab(page, '明细');
    await el(page, 'jf-ledger-entry').first().waitFor();
    // Every page, so the check spans page boundaries: scrolled to the bottom, as a member would (useReachBottom).
    while ((await page.locator('.jf-ledger-end:visible').count()) === 0) {
      const before = await page.locator('.jf-ledger-entry:visible').count();
      await page.evaluate(() => {
        const p = [...document.querySelectorAll<HTMLElement>('.taro_page')].find((x) => x.getClientRects().length > 0 && getComputedStyle(x).display !== 'none');
        if (p) p.scrollTop = p.scrollHeight;
      });
      await page.waitForFunction((n) => document.querySelectorAll('.jf-ledger-entry').length > n || !!document.querySelector('.jf-ledger-end'), before);
    }
    const months = await page.locator('.jf-ledger-month:visible .month-title').allInnerTexts();
    expect(months.length).toBeGreaterThan(1);
    expect(new Set(months).size).toBe(months.length); // on main: 12月, 11月, 12月, 11月 …
    const all = await rows(page);
    expect(all.length).toBeGreaterThan(20);
    expect(all[all.length - 1]!.after).toBe(all[all.length - 1]!.delta); // the first entry ever, from zero
    for (let i = 0; i + 1 < all.length; i++) expect([i, all[i]!.after]).toEqual([i, all[i + 1]!.after + all[i]!.delta]);
    await expectClass(el(page, 'jf-ledger-kind-all'), 'is-on');
    await shot(page, 'ledger-01-all');

    await el(page, 'jf-ledger-kind-earn').click();
    await expectClass(el(page, 'jf-ledger-kind-earn'), 'is-on');
    await el(page, 'jf-ledger-entry').first().waitFor();
    const earned = await rows(page);
    expect(earned.length).toBe(20);
    expect(earned.every((r) => r.delta > 0)).toBe(true);
    await shot(page, 'ledger-02-earn');

    await el(page, 'jf-ledger-kind-spend').click();
    await expectClass(el(page, 'jf-ledger-kind-spend'), 'is-on');
    await expectText(el(page, 'jf-ledger-end'), '— 没有更多了 —');
    const spent = await rows(page);
    expect(spent.map((r) => [r.code, r.delta < 0])).toEqual([['REDEEM', true]]); // the seed's one redemption
    await shot(page, 'ledger-03-spend');

    await el(page, 'jf-ledger-kind-expire').click();
    await expectClass(el(page, 'jf-ledger-kind-expire'), 'is-on');
    await page.locator('.taro_page:visible >> text=没有过期记录').waitFor();
    await expect(page.locator('.jf-ledger-entry:visible').count()).resolves.toBe(0);
    await shot(page, 'ledger-04-expire-empty');

    expect(ledgerCalls).toEqual(expect.arrayContaining(['?limit=20&kind=earn', '?limit=20&kind=spend', '?limit=20&kind=expire']));
    expect(problems).toEqual([]);
    await context.close();
  });
});
