import 'reflect-metadata';
import { createDataSource } from '../../server/src/db/data-source';
import { shot, useProduct } from './harness';
import { el, expectClass, expectNum, expectText, memberLogin, num, numOf, openMember, tab, textOf } from './ui';

/**
 * A member's day: check in, redeem a reward, see it in 明细, cancel it and get the points back.
 *
 * dave is the member: in the demo seed his last check-in is days back (the seed counts days from today's
 * local midnight), so he has not checked in today and his streak is broken: the check-in starts a streak of 1.
 */
describe('member: check in, redeem, cancel', () => {
  const product = useProduct();

  test('dave checks in, redeems a syrup shot, sees it in 明细, cancels it and gets the points back', async () => {
    const { page, problems, context } = await openMember(product.browser);

    // -- sign in (dev login screen) --
    await memberLogin(page, product.server, 'dave', (p) => shot(p, 'member-00-login'));
    await expectText(el(page, 'jf-tier-name'), '青铜会员');

    // -- 首页: check in --
    const balance0 = await numOf(el(page, 'jf-balance'));
    const available0 = await numOf(el(page, 'jf-available'));
    expect(await numOf(el(page, 'jf-pending'))).toBe(0);
    expect(available0).toBe(balance0);
    expect(await numOf(el(page, 'jf-streak-count'))).toBe(0);
    // The 7-day strip shows the bonus day before it is earned.
    await expect(el(page, 'jf-streak-day').count()).resolves.toBe(7);
    await expect(el(page, 'jf-streak-bonus').count()).resolves.toBe(1);
    const button = el(page, 'jf-checkin-btn');
    expect(await button.getAttribute('class')).not.toContain('is-done');
    const offered = num((await textOf(button)).replace(/^\D+/, '')); // "立即签到 +1 分"
    expect(offered).toBe(1); // day 1 of a new streak: the plain daily point
    await shot(page, 'member-01-home');

    await button.click();
    await page.locator('.jf-checkin-btn.is-done:visible').waitFor();
    await expectText(el(page, 'jf-streak-count'), '1');
    await expectNum(el(page, 'jf-balance'), balance0 + offered);
    await expectNum(el(page, 'jf-available'), available0 + offered);
    await expectText(el(page, 'jf-checkin-btn'), '今日已签到,明天再来');
    await expect(page.locator('.jf-streak-day.is-done:visible').count()).resolves.toBe(1);
    await shot(page, 'member-02-home-checked-in');
    const balance1 = balance0 + offered;

    // -- 兑换: redeem 香草糖浆加料 (worth ¥1: 100 points at the value anchor) --
    await tab(page, '兑换');
    await expectNum(el(page, 'jf-shelf-balance'), balance1);
    const coffee = page.locator('.jf-reward:visible', { hasText: '香草糖浆加料' });
    const price = await numOf(coffee.locator('.jf-price'));
    expect(price).toBe(100);
    await expectText(coffee.locator('.jf-face-value'), '价值 ¥1');
    await expectText(coffee.locator('.jf-limit'), '限 10 件');
    await expectText(coffee.locator('.jf-redeem-btn'), '兑换');
    // The tier-gated rewards say so before they are tapped.
    await expect(page.locator('.jf-reward:visible', { hasText: '黄金会员下午茶' }).locator('.jf-tier-gate').innerText()).resolves.toBe('黄金及以上');
    await shot(page, 'member-03-shelf');

    await coffee.click();
    const sheet = el(page, 'jf-redeem-sheet');
    await sheet.waitFor();
    await expectText(el(page, 'jf-qty'), '1');
    await expectNum(el(page, 'jf-balance-before'), balance1);
    await expectNum(el(page, 'jf-balance-after'), balance1 - price);
    await shot(page, 'member-04-redeem-sheet');

    await el(page, 'jf-redeem-confirm').click();
    await el(page, 'jf-redeem-result').waitFor();
    const pickup = await textOf(el(page, 'jf-pickup-code'));
    expect(pickup).toMatch(/^[0-9A-Z]{10}$/);
    await expectNum(el(page, 'jf-result-balance'), balance1 - price);
    await shot(page, 'member-05-redeem-result');

    await el(page, 'jf-sheet-close').click();
    await el(page, 'jf-redeem-result').waitFor({ state: 'detached' });
    await expectNum(el(page, 'jf-shelf-balance'), balance1 - price);
    await expectText(page.locator('.jf-reward:visible', { hasText: '香草糖浆加料' }).locator('.jf-limit'), '限 10 件 · 已换 1');

    // -- 首页 shows the drop --
    await tab(page, '首页');
    await expectNum(el(page, 'jf-balance'), balance1 - price);

    // -- 明细: the REDEEM entry on top --
    await tab(page, '明细');
    const firstEntry = page.locator('.jf-ledger-entry:visible').first();
    await expectClass(firstEntry, 'jf-code-REDEEM');
    await expectText(firstEntry.locator('.jf-entry-delta'), `-${price}`);
    await expect(textOf(firstEntry.locator('.jf-entry-reason'))).resolves.toContain('香草糖浆加料');
    await expect(page.locator('.jf-ledger-month:visible').count()).resolves.toBeGreaterThan(0);
    await shot(page, 'member-06-ledger-redeem');

    // -- 我的兑换: cancel it --
    await tab(page, '兑换');
    await el(page, 'jf-my-redemptions').click();
    const item = page.locator('.jf-redemption:visible', { hasText: pickup });
    await item.waitFor();
    await expectClass(item, 'is-awaiting_pickup');
    await expectText(item.locator('.jf-redemption-status'), '待领取');
    await shot(page, 'member-07-redemptions');

    await item.locator('.jf-cancel-btn').click();
    await page.locator('.taro-modal__foot >> text=确认取消').click();
    await page.locator('.jf-redemption.is-cancelled:visible', { hasText: pickup }).waitFor();
    await expectText(item.locator('.jf-redemption-status'), '已取消');
    await expect(item.locator('.jf-cancel-btn').count()).resolves.toBe(0);
    await shot(page, 'member-08-redemption-cancelled');

    // -- back on the shelf and 首页: the points are back --
    await page.goBack();
    await expectNum(el(page, 'jf-shelf-balance'), balance1);
    await tab(page, '首页');
    await expectNum(el(page, 'jf-balance'), balance1);
    await expectNum(el(page, 'jf-available'), balance1);

    // -- 明细: REDEEM_CANCEL on top, the REDEEM under it --
    await tab(page, '明细');
    const entries = page.locator('.jf-ledger-entry:visible');
    await expectClass(entries.first(), 'jf-code-REDEEM_CANCEL');
    await expectText(entries.first().locator('.jf-entry-delta'), `+${price}`);
    await expectClass(entries.nth(1), 'jf-code-REDEEM');
    await expectClass(entries.nth(2), 'jf-code-EARN_CHECKIN');
    await expectText(entries.nth(2).locator('.jf-entry-delta'), `+${offered}`);
    await shot(page, 'member-09-ledger-cancel');

    // -- 我的: profile, rules, agreement --
    await tab(page, '我的');
    await expectText(el(page, 'jf-profile-name'), 'dave');
    await el(page, 'jf-rules').waitFor();
    await el(page, 'jf-agreement-toggle').click();
    await expectText(el(page, 'jf-agreement-toggle'), '收起');
    await shot(page, 'member-10-profile');

    expect(problems).toEqual([]);
    await context.close();
  });

  test('保级: carol sees her gold review date; 10 days before it with nothing earned in her tier year, home says what keeps it', async () => {
    // The browser cannot move the clock: her stored tier's dates are set in the server's database (the server
    // tests walk the real year with the injected clock).
    const setTier = async (yearFrom: number, reviewAt: number) => {
      const ds = createDataSource(`sqlite:${product.server.dbFile}`);
      await ds.initialize();
      await ds.query("UPDATE member_tier SET code = 'gold', year_from = ?, review_at = ? WHERE member_id = (SELECT id FROM member WHERE openid = 'dev_carol')", [yearFrom, reviewAt]);
      await ds.destroy();
    };
    const now = Date.now();
    await setTier(now - 3_600_000, now + 100 * 86_400_000);
    const { page, problems, context } = await openMember(product.browser);
    await memberLogin(page, product.server, 'carol');
    await expectText(el(page, 'jf-tier-name'), '黄金会员');
    await expectText(el(page, 'jf-tier-review'), /^保级复核 \d{4}年\d{1,2}月\d{1,2}日 · 本期累计 0\/2,001 分$/);
    await expect(page.locator('.jf-tier-risk:visible').count()).resolves.toBe(0);

    await setTier(now - 3_600_000, now + 10 * 86_400_000);
    await page.reload();
    await el(page, 'jf-balance').waitFor();
    await expectText(page.locator('.jf-tier-risk:visible .tier-risk-text'), '再得 2,001 分保级黄金');
    await expectText(page.locator('.jf-tier-risk:visible .tier-risk-days'), /复核,还剩 1[01] 天$/);
    await page.locator('.jf-tier-risk:visible').scrollIntoViewIfNeeded();
    await shot(page, 'member-11-tier-at-risk');
    expect(problems).toEqual([]);
    await context.close();
  });
});
