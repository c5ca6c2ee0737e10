import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, settle, shot, useProduct } from './harness';
import { MEMBER_VIEWPORT, STAFF_VIEWPORT, el, expectClass, expectText, memberLogin, openMember, openStaff, pick, shanghai, staffLogin, tab, textOf, type } from './ui';

const ROOT = path.resolve(__dirname, '../..');

/** Toasts gone, so a screenshot shows the screen, not a transition. */
async function calm(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'), undefined, { timeout: 10_000 });
}

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

/**
 * Skimming prices in the reward form (issue 10.2, 10.8): marketing lands on 概览 (商品定价提醒), adds a dated step
 * to 拿铁 (today, 2,400 分: its worth and distance from the anchor shown, the preview strikes 原价), and a below-cost
 * step to the voucher (outside the band: the server's 409 is shown with the prices, then a reason is given);
 * `npm run economics` retires the voucher; 概览 lists it with a link to its form; carol's shelf strikes 原价 2,800 分.
 */
describe('economics: a price schedule from the reward form to the shelf, and the job retiring below cost', () => {
  const product = useProduct();

  async function editReward(page: Page, title: string): Promise<void> {
    // By way of 概览: on the form, 商品 is the active tab (the bar does nothing for the page already open).
    await el(page, 'jf-nav-dashboard').click();
    await settle(page);
    await el(page, 'jf-nav-rewards').click();
    await settle(page);
    await page.locator('.jf-reward-row:visible', { hasText: title }).locator('.jf-reward-edit').click();
    await settle(page);
    await expect(el(page, 'jf-reward-title').locator('input').inputValue()).resolves.toBe(title);
  }

  /** Adds a step and turns its date to today (Beijing time). */
  async function addStepToday(page: Page, points: string): Promise<void> {
    await el(page, 'jf-step-add').click();
    const t = shanghai(Date.now());
    await pick(page, el(page, 'jf-step-date'), [`${t.y}年`, `${t.mo}月`, `${t.d}日`]);
    await expectText(el(page, 'jf-step-date').locator('.num'), t.date);
    await type(page, 'jf-step-points', points);
  }

  test('marketing schedules 2,400 分 from today; the job retires a below-cost step; the shelf strikes 原价', async () => {
    const mk = await openStaff(product.browser);
    const marketing = mk.page;
    await staffLogin(marketing, product.server, 'marketing');

    // -- 概览 is marketing's landing page: its own cards, nothing to act on yet --
    const notices = el(marketing, 'jf-dash-rewards-pricing');
    await notices.waitFor();
    await expectText(notices.locator('.jf-dash-value'), '0');
    expect(await marketing.locator('.jf-dash-staff:visible').count()).toBe(0);
    await shot(marketing, 'economics-08-marketing-dashboard');

    // -- 拿铁 (¥28, 2,800 分): a step from today at 2,400 分 --
    await editReward(marketing, '拿铁咖啡一杯');
    await addStepToday(marketing, '2400');
    await expectText(el(marketing, 'jf-step-state'), '已生效');
    await expectText(el(marketing, 'jf-price-step').locator('.jf-step-worth'), (s) => s.includes('≈ ¥24') && s.includes('比锚定价 -14%'));
    await expectText(el(marketing, 'jf-price-in-force'), '2,400 分');
    const preview = el(marketing, 'jf-reward-preview');
    await expectText(preview.locator('.jf-price'), '2,400 积分');
    await expectText(preview.locator('.jf-original-price'), '原价 2,800 分');
    expect(await marketing.locator('.jf-reward-price-reason:visible').count()).toBe(0); // -14 % is inside ±20 %
    await shot(marketing, 'economics-09-reward-schedule');
    await el(marketing, 'jf-reward-save').click();
    await expectText(el(marketing, 'jf-price-in-force'), '2,400 分'); // saved and loaded again

    // -- the voucher (¥10, cost ¥6): 500 分 from today is off the band and under cost --
    await editReward(marketing, '10元代金券');
    await addStepToday(marketing, '500');
    const step = el(marketing, 'jf-price-step');
    await step.locator('.jf-step-off').waitFor();
    await expectText(step.locator('.jf-step-loss'), '低于成本 ¥6,当天自动下架');
    await el(marketing, 'jf-reward-save').click();
    await expectText(el(marketing, 'jf-form-error'), '500 分 超出锚定价 1,000 分的 ±20%,请在「定价理由」中写明原因后再保存');
    await expectClass(el(marketing, 'jf-reward-price-reason'), 'is-invalid');
    await shot(marketing, 'economics-10-reason-required');
    await type(marketing, 'jf-reward-price-reason', '清仓处理');
    await el(marketing, 'jf-reward-save').click();
    await expectText(el(marketing, 'jf-price-in-force'), '500 分');
    expect(await el(marketing, 'jf-form-error').count()).toBe(0);
    // The schedule rows at phone width.
    await marketing.setViewportSize(MEMBER_VIEWPORT);
    await calm(marketing);
    // The save reloads the form, so the schedule may be replaced under the scroll: try again on a fresh one.
    for (let attempt = 1; ; attempt++) {
      try {
        await el(marketing, 'jf-price-schedule').scrollIntoViewIfNeeded({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        await calm(marketing);
      }
    }
    await marketing.screenshot({ path: path.join(SCREENSHOT_DIR, 'economics-10b-schedule-375.png') });
    await marketing.setViewportSize(STAFF_VIEWPORT);

    // -- the economics job (npm run economics, on the server's database) retires it on the step's day --
    const run = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/src/cli/economics.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `sqlite:${product.server.dbFile}`, DATA_DIR: path.dirname(product.server.dbFile), NODE_ENV: 'development', LOG_LEVEL: 'warn' },
    });
    expect(run.stdout).toContain('1 rewards retired below cost');

    // -- 概览 lists it; the line opens the voucher's form, now 已下架 --
    await el(marketing, 'jf-nav-dashboard').click();
    await settle(marketing);
    await expectText(notices.locator('.jf-dash-value'), '1');
    const item = notices.locator('.jf-dash-item', { hasText: '10元代金券' });
    await expectText(item, (s) => s.includes('低于成本自动下架'));
    await calm(marketing);
    await shot(marketing, 'economics-11-dashboard-retired');
    await item.click();
    await settle(marketing);
    await expect(el(marketing, 'jf-reward-title').locator('input').inputValue()).resolves.toBe('10元代金券');
    await expectClass(el(marketing, 'jf-reward-status-chips').locator('.jf-chip-retired'), 'is-on');
    expect(mk.problems.filter((p) => !p.includes('status of 409'))).toEqual([]); // the one refusal asked for above

    // -- carol's shelf: 拿铁 at 2,400 with 原价 2,800 struck; the voucher is gone --
    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'carol');
    await tab(member, '兑换');
    const latte = member.locator('.jf-reward:visible', { hasText: '拿铁咖啡一杯' });
    await latte.waitFor();
    await expectText(latte.locator('.jf-price'), '2,400 积分');
    const was = latte.locator('.jf-original-price');
    await expectText(was, '原价 2,800 分');
    await expect(was.evaluate((e) => getComputedStyle(e).textDecorationLine)).resolves.toBe('line-through');
    expect(await member.locator('.jf-reward:visible', { hasText: '10元代金券' }).count()).toBe(0);
    await latte.scrollIntoViewIfNeeded();
    await shot(member, 'economics-12-shelf-original-struck');
    expect(m.problems).toEqual([]);
  });
});
