import path from 'node:path';
import type { Page } from 'playwright-core';
import { settle, shot, useProduct } from './harness';
import { el, expectNum, expectText, numOf, openMember, openStaff, staffLogin, tab, textOf, type } from './ui';

/**
 * Issue 11 items 1, 2 and 6 in the browser: a brand-new member's first open (welcome screen, agreement, gift,
 * first check-in) and admin publishing a new version that asks again; a dispute filed by a member and answered
 * by service with points; the 任务中心 with each channel's state moving as the member does the tasks.
 */

/**
 * A demo member signs in; if an agreement version they have not accepted is current (the first test publishes
 * one), the welcome screen shows instead of 首页 and they accept it, as a member would.
 */
async function signIn(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(baseUrl + '/');
  await el(page, `jf-login-${name}`).click();
  await page.locator('.jf-welcome-title:visible, .jf-balance:visible').first().waitFor();
  await settle(page);
  if ((await page.locator('.jf-welcome-title:visible').count()) > 0) {
    await el(page, 'jf-welcome-agree').click();
    await el(page, 'jf-welcome-accept').click();
  }
  await el(page, 'jf-balance').waitFor();
  await settle(page);
}

/** Types into a Taro <Textarea> (the class sits on the wrapper, the textarea inside). */
async function typeArea(page: Page, cls: string, value: string): Promise<void> {
  const area = page.locator(`.${cls}:visible textarea`);
  await area.click();
  await area.fill(value);
  await expect(area.inputValue()).resolves.toBe(value);
}

/** A picture the member attaches to a dispute (one of the shipped reward images, 480×480 PNG). */
const RECEIPT = path.join(__dirname, '../../server/assets/rewards/americano.png');

describe('member life: agreement, disputes, 任务中心', () => {
  const product = useProduct();

  test("a new member's first open: welcome screen and agreement, the gift, the first check-in; a new version asks again", async () => {
    const { page, problems, context } = await openMember(product.browser);
    await page.goto(product.server.baseUrl + '/');
    await el(page, 'jf-login-new').waitFor();
    await el(page, 'jf-login-new').click();

    // -- the welcome screen comes first: what they get, the agreement and privacy notice --
    await el(page, 'jf-welcome-title').waitFor();
    await settle(page);
    await expectText(el(page, 'jf-welcome-title'), '欢迎加入积分会员');
    await expect(el(page, 'jf-welcome-benefit').count()).resolves.toBeGreaterThanOrEqual(4);
    await expectText(el(page, 'jf-welcome-benefit').first(), /新会员礼 100 分/);
    await expectText(el(page, 'jf-welcome-terms').locator('.card-title'), '积分服务协议');
    await expectText(el(page, 'jf-welcome-privacy').locator('.card-title'), '隐私政策');
    await expectText(el(page, 'jf-welcome-accept'), '同意并领取 100 分');
    await shot(page, 'life-01-welcome');

    // Not ticked: nothing happens. Ticked: accepted, gift credited, home.
    await el(page, 'jf-welcome-accept').click();
    await expect(el(page, 'jf-welcome-title').count()).resolves.toBe(1);
    await el(page, 'jf-welcome-agree').click();
    await el(page, 'jf-welcome-accept').click();
    await el(page, 'jf-balance').waitFor();
    await settle(page);
    await expectNum(el(page, 'jf-balance'), 100);
    await shot(page, 'life-02-home-after-welcome');

    // -- the first check-in --
    await el(page, 'jf-checkin-btn').click();
    await page.locator('.jf-checkin-btn.is-done:visible').waitFor();
    await expectNum(el(page, 'jf-balance'), 101);
    await shot(page, 'life-03-first-checkin');

    // -- admin publishes version 2 of the agreement in the back office --
    const s = await openStaff(product.browser);
    const admin = s.page;
    await staffLogin(admin, product.server, 'admin');
    await el(admin, 'jf-nav-agreements').click();
    await settle(admin);
    await el(admin, 'jf-agreement-editor').waitFor();
    await el(admin, 'jf-agreement-v1').waitFor();
    await shot(admin, 'life-04-admin-agreement-editor');
    await type(admin, 'jf-agreement-title', '积分服务协议(2027 版)');
    await typeArea(admin, 'jf-agreement-body', '一、消费每 1 元得 1 积分。\n二、积分于次年年底过期,过期前提醒。\n三、申诉 7 天内答复。');
    await el(admin, 'jf-agreement-publish').click();
    await admin.locator('.taro-modal__foot >> text=发布').click();
    await el(admin, 'jf-agreement-v2').waitFor();
    await expectText(el(admin, 'jf-agreement-v1').locator('.jf-agreement-accepted'), (t) => Number(t) >= 6); // 5 demo members + the new one
    await shot(admin, 'life-05-admin-agreement-published');

    // -- the member is asked again on the next open; the old version's gift is not given twice --
    await page.goto(product.server.baseUrl + '/');
    await el(page, 'jf-welcome-title').waitFor();
    await settle(page);
    await expectText(el(page, 'jf-welcome-title'), '会员协议已更新');
    await expectText(el(page, 'jf-welcome-terms').locator('.card-title'), '积分服务协议(2027 版)');
    await expectText(el(page, 'jf-welcome-accept'), '同意并继续');
    await shot(page, 'life-06-welcome-new-version');
    await el(page, 'jf-welcome-agree').click();
    await el(page, 'jf-welcome-accept').click();
    await el(page, 'jf-balance').waitFor();
    await expectNum(el(page, 'jf-balance'), 101);

    expect(problems).toEqual([]);
    expect(s.problems).toEqual([]);
    await s.context.close();
    await context.close();
  });

  test('a dispute filed by the member and answered by service with points; the member sees the answer', async () => {
    const { page, problems, context } = await openMember(product.browser);
    await signIn(page, product.server.baseUrl, 'erin');
    const balance0 = await numOf(el(page, 'jf-balance'));
    await tab(page, '我的');
    await el(page, 'jf-menu-disputes').click();
    await settle(page);
    await el(page, 'jf-dispute-new').click();
    await el(page, 'jf-dispute-form').waitFor();
    await el(page, 'jf-dispute-entry').first().click();
    await typeArea(page, 'jf-dispute-text', '上周在国贸店消费没有看到积分,请帮忙核实');
    // A photo of the receipt: picked, uploaded at once (POST /me/uploads), shown as a thumbnail in the form.
    const chooser = page.waitForEvent('filechooser');
    await el(page, 'jf-dispute-add-image').click();
    await (await chooser).setFiles(RECEIPT);
    await el(page, 'jf-dispute-form-images').locator('.jf-image-thumb').waitFor();
    await shot(page, 'life-07-dispute-form');
    await el(page, 'jf-dispute-submit').click();
    await el(page, 'jf-dispute-form').waitFor({ state: 'detached' });
    const card = el(page, 'jf-dispute').first();
    await expectText(card.locator('.jf-dispute-status'), '处理中');
    await card.locator('.jf-dispute-images .jf-image-thumb').waitFor();
    // The stored file is really served: the thumbnail loads the 480×480 picture.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.jf-dispute-images img')].some((img) => img.complete && img.naturalWidth === 480), undefined, { timeout: 10_000 });
    // It is private: the thumbnail is a signed, expiring URL in the member's own folder, never the public /uploads/.
    const src = await page.evaluate(() => document.querySelector<HTMLImageElement>('.jf-dispute-images img')?.getAttribute('src') ?? '');
    expect(src).toMatch(/\/api\/v1\/private-uploads\/\d+\/[0-9a-f]{64}\.png\?exp=\d+&sig=[\w-]+$/);
    await shot(page, 'life-08-dispute-filed');

    // -- service answers from the queue with +20 points --
    const s = await openStaff(product.browser);
    const service = s.page;
    await staffLogin(service, product.server, 'service');
    await el(service, 'jf-nav-disputes').click();
    await settle(service);
    const row = el(service, 'jf-dispute-row').first();
    await row.waitFor();
    await expectText(row.locator('.jf-dispute-left'), /^还剩 6天23小时|^还剩 7天0小时|^还剩 6天2\d小时/);
    await row.locator('.jf-dispute-row-images .jf-image-thumb').waitFor();
    await shot(service, 'life-09-dispute-queue');
    await row.locator('.jf-dispute-answer-btn').click();
    await el(service, 'jf-answer-form').waitFor();
    await typeArea(service, 'jf-answer-text', '已核实,门店漏录,补发 20 积分');
    await type(service, 'jf-answer-points', '20');
    await shot(service, 'life-10-dispute-answer-form');
    await el(service, 'jf-answer-submit').click();
    await el(service, 'jf-answer-form').waitFor({ state: 'detached' });
    await el(service, 'jf-dispute-filter').locator('.jf-chip-answered').click();
    await expectText(el(service, 'jf-dispute-row').first().locator('.jf-dispute-adjustment'), '调整 +20 分 · 已入账');
    await shot(service, 'life-11-dispute-answered-staff');

    // -- the member sees the answer, the points and the notice --
    await page.reload();
    await el(page, 'jf-dispute-answer').first().waitFor();
    await expectText(el(page, 'jf-dispute').first().locator('.jf-dispute-status'), '已答复');
    await expectText(el(page, 'jf-dispute-answer-text').first(), '已核实,门店漏录,补发 20 积分');
    await expectText(el(page, 'jf-dispute-points').first(), '+20 分');
    await shot(page, 'life-12-dispute-answered-member');
    await page.goto(product.server.baseUrl + '/');
    await el(page, 'jf-balance').waitFor();
    await expectNum(el(page, 'jf-balance'), balance0 + 20);

    expect(problems).toEqual([]);
    expect(s.problems).toEqual([]);
    await s.context.close();
    await context.close();
  });

  test('the 任务中心: every channel with its state; sharing, binding a card, a survey and a review move their lines', async () => {
    const { page, problems, context } = await openMember(product.browser);
    await signIn(page, product.server.baseUrl, 'bob');
    await el(page, 'jf-home-tasks').click();
    await settle(page);
    await el(page, 'jf-task').first().waitFor();
    await expect(el(page, 'jf-task').count()).resolves.toBe(6);
    await expectText(el(page, 'jf-task-share').locator('.jf-task-state'), '今日 · 今日 0/3');
    await expectText(el(page, 'jf-task-bind_card').locator('.jf-task-state'), '限一次 · 还可完成 1');
    await expectText(el(page, 'jf-invite-code'), (t) => /^[0-9A-Za-z]{6,16}$/.test(t));
    expect(await el(page, 'jf-review-order').count()).toBeGreaterThan(0); // bob has orders from the demo history
    // The state line counts every reviewable order (the list shows the newest 10).
    const reviewable = Number(/(\d+) 笔订单待评价/.exec(await textOf(el(page, 'jf-task-review').locator('.jf-task-state')))![1]);
    await shot(page, 'life-13-tasks');

    await el(page, 'jf-task-share').locator('.jf-task-go').click();
    await expectText(el(page, 'jf-task-share').locator('.jf-task-state'), '今日 · 今日 1/3');

    await el(page, 'jf-task-bind_card').locator('.jf-task-go').click();
    await el(page, 'jf-card-sheet').waitFor();
    await type(page, 'jf-card-no', '6222020200112233');
    await el(page, 'jf-card-submit').click();
    await el(page, 'jf-card-sheet').waitFor({ state: 'detached' });
    await expectText(el(page, 'jf-task-bind_card').locator('.jf-task-state'), '限一次 · 已完成');

    await el(page, 'jf-survey-go').first().click();
    await el(page, 'jf-survey-sheet').waitFor();
    await page.locator('.jf-survey-sheet:visible .jf-survey-answer', { hasText: '满意' }).first().click();
    await type(page, 'jf-survey-text', '希望多一些季节限定饮品');
    await shot(page, 'life-14-survey');
    await el(page, 'jf-survey-submit').click();
    await el(page, 'jf-survey-sheet').waitFor({ state: 'detached' });
    await el(page, 'jf-survey-done').first().waitFor();

    const firstOrder = await textOf(el(page, 'jf-review-order').first());
    await el(page, 'jf-review-order').first().locator('.jf-review-go').click();
    await el(page, 'jf-review-sheet').waitFor();
    await typeArea(page, 'jf-review-text', '拿铁很香,店员很热情,环境也安静,下次还来。');
    await el(page, 'jf-review-submit').click();
    await el(page, 'jf-review-sheet').waitFor({ state: 'detached' });
    await expectText(el(page, 'jf-task-review').locator('.jf-task-state'), (t) => t.includes(`${reviewable - 1} 笔订单待评价`) || t.includes('暂无'));
    await expect(textOf(el(page, 'jf-review-order').first())).resolves.not.toBe(firstOrder);
    await expectText(el(page, 'jf-task-month-used'), (t) => Number(t.replace(/,/g, '')) >= 5 + 50 + 10 + 100);
    await shot(page, 'life-15-tasks-done');

    expect(problems).toEqual([]);
    await context.close();
  });
});
