import type { Page } from 'playwright-core';
import { settle, shot, useProduct } from './harness';
import { el, expectClass, expectNum, expectText, memberLogin, numOf, openMember, openStaff, staffLogin, tab, textOf, type } from './ui';

/**
 * The till: bob shows his member code, clerk-a (store A) reads it off his screen and posts an order of
 * ¥128.00, bob's 首页 shows the new (pending) points, the clerk refunds half and bob's 明细 shows the reversal.
 * Then bob redeems a syrup shot and the clerk hands it over with the pickup code.
 *
 * bob is a silver member in the demo seed, so the breakdown has the base line and the silver tier line.
 */
describe('clerk: purchase, refund, fulfil', () => {
  const product = useProduct();

  /** The member opens 会员码 from 首页 and the code under the QR is read off the screen, as the clerk would. */
  async function showMemberCode(member: Page, name: string): Promise<string> {
    await el(member, 'jf-code-entry').click();
    await settle(member);
    const code = el(member, 'jf-member-code');
    await expectText(code, /^[0-9A-Z]{1,7}-[0-9A-Z]{16}$/);
    await el(member, 'jf-member-qr').waitFor();
    await el(member, 'jf-brightness-hint').waitFor();
    const seconds = await numOf(el(member, 'jf-code-seconds'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);
    await shot(member, `${name}-code`);
    return textOf(code);
  }

  test('clerk-a posts ¥128.00 for bob, refunds half; bob sees the points and the reversal; a redemption is fulfilled', async () => {
    const m = await openMember(product.browser);
    const member = m.page;
    const s = await openStaff(product.browser);
    const clerk = s.page;

    // -- bob on 首页 --
    await memberLogin(member, product.server, 'bob');
    const tierName = await textOf(el(member, 'jf-tier-name'));
    expect(tierName).toBe('白银会员');
    const balance0 = await numOf(el(member, 'jf-balance'));
    const available0 = await numOf(el(member, 'jf-available'));
    const pending0 = await numOf(el(member, 'jf-pending'));
    await shot(member, 'clerk-01-member-home');

    // -- bob shows his code; the clerk signs in --
    const code = await showMemberCode(member, 'clerk-02-member');
    await staffLogin(clerk, product.server, 'clerk-a', (p) => shot(p, 'clerk-03-staff-login'));
    await expectText(clerk.locator('.staff-role:visible'), '店员 · 国贸旗舰店');
    await el(clerk, 'jf-nav-clerk').waitFor();
    await shot(clerk, 'clerk-04-till-empty');

    // -- the clerk types the code, the order and the amount; the preview shows the base points --
    const orderNo = `E2E-${Date.now()}`;
    await type(clerk, 'jf-member-code-input', code);
    await type(clerk, 'jf-order-input', orderNo);
    await type(clerk, 'jf-amount-input', '128.00');
    await expectText(el(clerk, 'jf-preview-points'), '+128');
    await expectText(el(clerk, 'jf-purchase-submit'), '确认积分 · ¥128.00');
    await shot(clerk, 'clerk-05-till-preview');

    // -- posted: the server's breakdown --
    await el(clerk, 'jf-purchase-submit').click();
    await el(clerk, 'jf-purchase-result').waitFor();
    const awarded = await numOf(el(clerk, 'jf-points-awarded'));
    const lines = await clerk.locator('.jf-breakdown-line:visible').allInnerTexts();
    const parsed = lines.map((l) => {
      const [label, points] = l.split('\n').map((x) => x.trim());
      return { label: label!, points: Number(points!.replace(/[+,]/g, '')) };
    });
    // Base 1 point per yuan, then silver's 1.2x as its own line: 128 + floor(128 x 0.2) = 153.
    expect(parsed).toEqual([
      { label: '消费 1 分/元', points: 128 },
      { label: '白银会员 1.2倍', points: 25 },
    ]);
    expect(awarded).toBe(153);
    await expectText(el(clerk, 'jf-purchase-result').locator('.result-sub'), `订单 ${orderNo} · ¥128.00`);
    await expectNum(el(clerk, 'jf-member-balance'), balance0 + awarded);
    await shot(clerk, 'clerk-06-till-result');

    // -- bob back on 首页: balance up, the new points pending for 7 days, available unchanged --
    await member.goBack();
    await settle(member);
    await expectNum(el(member, 'jf-balance'), balance0 + awarded);
    await expectNum(el(member, 'jf-pending'), pending0 + awarded);
    await expectNum(el(member, 'jf-available'), available0);
    const pendingCard = el(member, 'jf-pending-card');
    await expect(textOf(pendingCard)).resolves.toContain(`${awarded} 分`);
    await shot(member, 'clerk-07-member-home-pending');

    // -- the clerk refunds half by order number --
    await el(clerk, 'jf-nav-refund').click();
    await settle(clerk);
    await shot(clerk, 'clerk-08-refund-empty');
    await type(clerk, 'jf-refund-order-input', orderNo);
    await type(clerk, 'jf-refund-amount-input', '64.00');
    await el(clerk, 'jf-refund-submit').click();
    await el(clerk, 'jf-refund-result').waitFor();
    const reversed = Math.floor((awarded * 6400) / 12800);
    await expectText(el(clerk, 'jf-points-reversed'), `-${reversed}`);
    await expectNum(el(clerk, 'jf-member-balance'), balance0 + awarded - reversed);
    await shot(clerk, 'clerk-09-refund-result');

    // -- bob's 明细: the reversal on top, the purchase under it with its breakdown --
    await tab(member, '明细');
    const entries = member.locator('.jf-ledger-entry:visible');
    await expectClass(entries.first(), 'jf-code-REFUND_REVERSAL');
    await expectText(entries.first().locator('.jf-entry-delta'), `-${reversed}`);
    await expectClass(entries.nth(1), 'jf-code-EARN_PURCHASE');
    await expectText(entries.nth(1).locator('.jf-entry-delta'), `+${awarded}`);
    await entries.nth(1).click();
    const breakdown = entries.nth(1).locator('.jf-breakdown');
    await breakdown.waitFor();
    await expect(textOf(breakdown)).resolves.toContain('白银会员 1.2倍');
    await shot(member, 'clerk-10-member-ledger-refund');
    await tab(member, '首页');
    await expectNum(el(member, 'jf-balance'), balance0 + awarded - reversed);
    await expectNum(el(member, 'jf-pending'), pending0 + awarded - reversed);

    // -- fulfil: bob redeems a syrup shot, the clerk hands it over by pickup code --
    await tab(member, '兑换');
    await member.locator('.jf-reward:visible', { hasText: '香草糖浆加料' }).click();
    await el(member, 'jf-redeem-confirm').click();
    const pickup = await textOf(el(member, 'jf-pickup-code'));
    await el(member, 'jf-goto-redemptions').click();
    await settle(member);
    await expectClass(member.locator('.jf-redemption:visible', { hasText: pickup }), 'is-awaiting_pickup');

    await el(clerk, 'jf-nav-fulfil').click();
    await settle(clerk);
    await shot(clerk, 'clerk-11-fulfil-empty');
    await type(clerk, 'jf-pickup-input', pickup);
    await el(clerk, 'jf-fulfil-submit').click();
    await el(clerk, 'jf-fulfil-result').waitFor();
    await expectText(el(clerk, 'jf-fulfil-result').locator('.jf-fulfil-title'), '香草糖浆加料 × 1');
    await shot(clerk, 'clerk-12-fulfil-result');

    // bob opens 我的兑换 again: 已领取, no cancel button.
    await member.goBack();
    await settle(member);
    await el(member, 'jf-my-redemptions').click();
    await settle(member);
    const item = member.locator('.jf-redemption:visible', { hasText: pickup });
    await expectClass(item, 'is-fulfilled');
    await expectText(item.locator('.jf-redemption-status'), '已领取');
    await expect(item.locator('.jf-cancel-btn').count()).resolves.toBe(0);
    await shot(member, 'clerk-13-member-redemption-fulfilled');

    expect(m.problems).toEqual([]);
    expect(s.problems).toEqual([]);
    await m.context.close();
    await s.context.close();
  });
});
