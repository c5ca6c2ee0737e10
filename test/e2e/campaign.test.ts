import type { Page } from 'playwright-core';
import { settle, shot, useProduct } from './harness';
import { el, expectClass, expectNum, expectText, memberLogin, numOf, openMember, openStaff, pick, shanghai, staffLogin, tab, textOf, type } from './ui';

/**
 * Marketing creates a double-points campaign running now (started 5 minutes ago Shanghai time, ending in
 * 3 hours; every tier, every store, purchases), erin's 首页 shows its banner, and the next purchase clerk-a
 * posts for her earns double. erin is bronze in the demo seed (no tier bonus), so double is exactly 2 x base.
 * Marketing also opens the health report.
 */
describe('campaign: double points now', () => {
  const product = useProduct();

  /** Sets a date picker and a time picker of the campaign form to an instant's Shanghai wall clock. */
  async function setWhen(page: Page, which: 'start' | 'end', ms: number): Promise<void> {
    const t = shanghai(ms);
    await pick(page, el(page, `jf-campaign-${which}-date`), [`${t.y}年`, `${t.mo}月`, `${t.d}日`]);
    await expectText(el(page, `jf-campaign-${which}-date`).locator('.num'), t.date);
    await pick(page, el(page, `jf-campaign-${which}-time`), [t.h, t.mi]);
    await expectText(el(page, `jf-campaign-${which}-time`).locator('.num'), t.time);
  }

  test('marketing creates a 2x campaign; erin sees the banner and her next purchase earns double', async () => {
    const mk = await openStaff(product.browser);
    const marketing = mk.page;

    // -- marketing signs in (landing on 概览) and opens the (empty) campaign list --
    await staffLogin(marketing, product.server, 'marketing');
    await el(marketing, 'jf-nav-campaigns').click();
    await settle(marketing);
    await el(marketing, 'jf-empty').waitFor();
    await el(marketing, 'jf-nav-report').waitFor();
    await shot(marketing, 'campaign-01-list-empty');

    // -- new campaign: 2x, budget 100000, from 5 minutes ago to 3 hours from now, all tiers and stores, purchases --
    await el(marketing, 'jf-campaign-new').click();
    await settle(marketing);
    await el(marketing, 'jf-campaign-name-input').waitFor();
    const name = '限时双倍积分';
    await type(marketing, 'jf-campaign-name-input', name);
    await type(marketing, 'jf-campaign-multiplier', '2');
    await type(marketing, 'jf-campaign-budget', '100000');
    const now = Date.now();
    const start = now - 5 * 60_000;
    const end = now + 3 * 3_600_000;
    await setWhen(marketing, 'start', start);
    await setWhen(marketing, 'end', end);
    // Every tier and every store: no chip on. Purchases only.
    await expect(marketing.locator('.jf-tier-chip.is-on:visible').count()).resolves.toBe(0);
    await expect(marketing.locator('.jf-store-chip.is-on:visible').count()).resolves.toBe(0);
    await expect(marketing.locator('.jf-store-chip:visible').count()).resolves.toBe(2);
    await expectClass(el(marketing, 'jf-channel-chip-purchase'), 'is-on');
    await expect(el(marketing, 'jf-channel-chip-checkin').getAttribute('class')).resolves.not.toMatch(/\bis-on\b/);
    const s = shanghai(start);
    const e = shanghai(end);
    await expectText(
      el(marketing, 'jf-campaign-preview'),
      `${s.date} ${s.time} 至 ${e.date} ${e.time},全部等级会员在全部门店的消费积分按 2 倍计算,活动加成最多发放 100,000 分。`,
    );
    await shot(marketing, 'campaign-02-form');

    await el(marketing, 'jf-campaign-save').click();
    const row = marketing.locator('.jf-campaign-row:visible', { hasText: name });
    await row.waitFor();
    await settle(marketing);
    await expectClass(row, 'is-running');
    await expectText(row.locator('.jf-campaign-status'), '进行中');
    await shot(marketing, 'campaign-03-list-running');

    // -- erin's 首页 shows the banner --
    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'erin');
    await expectText(el(member, 'jf-tier-name'), '青铜会员');
    const banner = el(member, 'jf-campaign-banner');
    await banner.waitFor();
    await expect(textOf(banner)).resolves.toContain(name);
    await expect(textOf(banner)).resolves.toContain('消费 2 倍积分 · 全部门店');
    const balance0 = await numOf(el(member, 'jf-balance'));
    const pending0 = await numOf(el(member, 'jf-pending'));
    await shot(member, 'campaign-04-member-home-banner');

    // -- she shows her code; clerk-a posts ¥128.00 --
    await el(member, 'jf-code-entry').click();
    await settle(member);
    await expectText(el(member, 'jf-member-code'), /^[0-9A-Z]{1,7}-[0-9A-Z]{16}$/);
    const code = await textOf(el(member, 'jf-member-code'));

    const ck = await openStaff(product.browser);
    const clerk = ck.page;
    await staffLogin(clerk, product.server, 'clerk-a');
    await type(clerk, 'jf-member-code-input', code);
    await type(clerk, 'jf-order-input', `E2E-CAMP-${Date.now()}`);
    await type(clerk, 'jf-amount-input', '128.00');
    // The till's preview is the base only; the campaign is the server's to add.
    await expectText(el(clerk, 'jf-preview-points'), '+128');
    await el(clerk, 'jf-purchase-submit').click();
    await el(clerk, 'jf-purchase-result').waitFor();
    const lines = (await clerk.locator('.jf-breakdown-line:visible').allInnerTexts()).map((l) => l.split('\n').map((x) => x.trim()));
    expect(lines).toEqual([
      ['消费 1 分/元', '+128'],
      [`${name} 2倍`, '+128'],
    ]);
    await expectText(el(clerk, 'jf-points-awarded'), '+256');
    await expectNum(el(clerk, 'jf-member-balance'), balance0 + 256);
    await shot(clerk, 'campaign-05-till-double');

    // -- erin's 首页: the doubled points (pending for the return period) --
    await member.goBack();
    await settle(member);
    await expectNum(el(member, 'jf-balance'), balance0 + 256);
    await expectNum(el(member, 'jf-pending'), pending0 + 256);
    await shot(member, 'campaign-06-member-home-after');

    // -- erin's 明细: the purchase's base points and the campaign's bonus as its own entry --
    await tab(member, '明细');
    const entries = member.locator('.jf-ledger-entry:visible');
    await expectClass(entries.first(), 'jf-code-EARN_CAMPAIGN_BONUS');
    await expectText(entries.first().locator('.jf-entry-delta'), '+128');
    await expect(textOf(entries.first().locator('.jf-entry-reason'))).resolves.toContain(name);
    await expectClass(entries.nth(1), 'jf-code-EARN_PURCHASE');
    await expectText(entries.nth(1).locator('.jf-entry-delta'), '+128');
    // Tapping the purchase shows its breakdown, campaign line included.
    await entries.nth(1).click();
    await expect(textOf(entries.nth(1).locator('.jf-breakdown'))).resolves.toContain(`${name} 2倍`);
    await shot(member, 'campaign-07-member-ledger');

    // -- the campaign's budget shows what it paid out --
    await el(marketing, 'jf-nav-report').click();
    await settle(marketing);
    await el(marketing, 'jf-health-stats').waitFor();
    await el(marketing, 'jf-health-chart').waitFor();
    await expectText(el(marketing, 'jf-reconciled'), '账实相符');
    await expect(marketing.locator('.jf-chart-month:visible').count()).resolves.toBeGreaterThan(0);
    await shot(marketing, 'campaign-08-report');
    // The report opens on the last 6 months; 近 30 天 loads the shorter range.
    await expectClass(el(marketing, 'jf-range-6m'), 'is-on');
    const foot = marketing.locator('.report-foot:visible');
    const sixMonths = await textOf(foot);
    await el(marketing, 'jf-range-30d').click();
    await expectClass(el(marketing, 'jf-range-30d'), 'is-on');
    const from = (t: string) => t.split(' 至 ')[0];
    await expectText(foot, (t) => t.startsWith('统计区间') && from(t) !== from(sixMonths));
    await el(marketing, 'jf-health-stats').waitFor();
    await shot(marketing, 'campaign-09-report-30d');

    await el(marketing, 'jf-nav-campaigns').click();
    await settle(marketing);
    const after = marketing.locator('.jf-campaign-row:visible', { hasText: name });
    await expectText(after.locator('.campaign-budget .num').first(), '128');

    expect(mk.problems).toEqual([]);
    expect(m.problems).toEqual([]);
    expect(ck.problems).toEqual([]);
    await mk.context.close();
    await m.context.close();
    await ck.context.close();
  });
});
