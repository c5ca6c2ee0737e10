import { settle, shot, useProduct } from './harness';
import { el, expectText, memberLogin, openMember, openStaff, staffLogin, textOf, type } from './ui';

/**
 * Points economics on screen (issue 10.8): marketing opens the plan/guard/finance page, drafts a value change
 * (100 积分 = ¥0.90), simulates and publishes it with 31 days' notice; a member's 首页 shows 规则变更预告 with
 * the date and her compensation; the public 积分健康报告 renders, also without signing in.
 */
describe('economics: a value change announced, and the public health report', () => {
  const product = useProduct();

  test('marketing publishes a change; the member sees the notice; the report renders', async () => {
    const mk = await openStaff(product.browser);
    const marketing = mk.page;
    await staffLogin(marketing, product.server, 'marketing');

    // -- the plan with gauges, the guard, the finance figures --
    await el(marketing, 'jf-nav-economics').click();
    await settle(marketing);
    await el(marketing, 'jf-plan-card').waitFor();
    await el(marketing, 'jf-guard-card').waitFor();
    await el(marketing, 'jf-finance-card').waitFor();
    await expectText(el(marketing, 'jf-guard-state'), /未启动|调控中/);
    await shot(marketing, 'economics-01-plan-guard-finance');

    // -- the wizard: draft -> simulate -> publish --
    await el(marketing, 'jf-nav-value-change').click();
    await settle(marketing);
    await el(marketing, 'jf-vc-wizard').waitFor();
    await expect(textOf(el(marketing, 'jf-vc-rule'))).resolves.toContain('提前至少 30 天公告');
    await type(marketing, 'jf-vc-title', '积分价值调整');
    await type(marketing, 'jf-vc-reason', '礼品采购成本上涨');
    await type(marketing, 'jf-vc-anchor', '0.90');
    await shot(marketing, 'economics-02-wizard-draft');
    await el(marketing, 'jf-vc-simulate').click();
    await el(marketing, 'jf-vc-sim').waitFor();
    await expect(textOf(el(marketing, 'jf-vc-sim'))).resolves.toContain('积分价值:100 积分 = ¥1.00 → 100 积分 = ¥0.90');
    const members = Number((await textOf(el(marketing, 'jf-vc-members'))).replace(/,/g, ''));
    expect(members).toBeGreaterThan(0);
    await shot(marketing, 'economics-03-wizard-simulated');
    await el(marketing, 'jf-vc-publish').click();
    await marketing.locator('.taro-modal__foot >> text=发布').click();
    const item = marketing.locator('.jf-vc-item:visible', { hasText: '积分价值调整' });
    await item.waitFor();
    await expect(textOf(item)).resolves.toContain('待生效');
    await settle(marketing);
    await marketing.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'), undefined, { timeout: 5000 }).catch(() => undefined);
    await shot(marketing, 'economics-04-published');
    expect(mk.problems).toEqual([]);

    // -- the member's 首页: 规则变更预告 with the date and her compensation --
    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'carol');
    const notice = el(member, 'jf-change-notice');
    await notice.waitFor();
    const text = await textOf(notice);
    expect(text).toContain('规则变更预告');
    expect(text).toContain('积分价值调整');
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日起生效/);
    expect(text).toContain('100 积分 = ¥0.90');
    await expect(textOf(el(member, 'jf-change-comp'))).resolves.toMatch(/补偿约 [\d,]+ 分/);
    await shot(member, 'economics-05-member-home-notice');

    // -- the public report from the notice --
    await el(member, 'jf-health-link').click();
    await settle(member);
    await el(member, 'jf-hr-statement').waitFor();
    await expectText(el(member, 'jf-hr-statement').locator('.hr-statement-text'), '本季度无贬值');
    await el(member, 'jf-hr-issued').waitFor();
    await shot(member, 'economics-06-health-report');
    expect(m.problems).toEqual([]);

    // -- and without signing in --
    const anon = await openMember(product.browser);
    await anon.page.goto(`${product.server.baseUrl}/#/pages/health-report/index`);
    await el(anon.page, 'jf-hr-statement').waitFor();
    await expect(textOf(el(anon.page, 'jf-hr-rate'))).resolves.toMatch(/%/);
    await shot(anon.page, 'economics-07-health-report-public');
    expect(anon.problems).toEqual([]);
  });
});
