import 'reflect-metadata';
import { createDataSource } from '../../server/src/db/data-source';
import { settle, shot, useProduct } from './harness';
import { el, expectClass, expectText, memberLogin, openMember, openStaff, staffLogin, tab, textOf, type } from './ui';

/**
 * 卡券 (issue 11.3): bob has a coupon his expired points became (issued by the expiry job, which the server
 * tests cover with the injected clock; written here straight into the server's database because the browser
 * cannot move the clock a year). He opens 我的 → 卡券, reads the code off his screen; clerk-a redeems it
 * against an order; a second use is refused; bob's 卡券 shows it used.
 */
describe('卡券: a coupon from expired points, redeemed by a clerk', () => {
  const product = useProduct();

  test('bob sees his coupon, clerk-a redeems it once, bob sees it used', async () => {
    const ds = createDataSource(`sqlite:${product.server.dbFile}`);
    await ds.initialize();
    const bob = (await ds.query("SELECT id FROM member WHERE openid = 'dev_bob'"))[0] as { id: number } | undefined;
    expect(bob).toBeDefined();
    const now = Date.now();
    await ds.query(
      `INSERT INTO coupon (member_id, code, source_key, title, points, value_fen, min_spend_fen, cost_fen, issued_at, expires_at)
       VALUES (?, 'QE2ECOUPON', ?, '10 元过期积分返还券', 1234, 1000, 6000, 1000, ?, ?)`,
      [bob!.id, `expiry:${bob!.id}:e2e`, now, now + 30 * 86_400_000],
    );
    await ds.destroy();

    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'bob');
    await tab(member, '我的');
    await el(member, 'jf-menu-coupons').click();
    await settle(member);
    const card = member.locator('.jf-coupon:visible').first();
    await expectClass(card, 'is-available');
    await expectText(card.locator('.jf-coupon-status'), '可使用');
    const code = await textOf(card.locator('.jf-coupon-code'));
    expect(code).toBe('QE2ECOUPON');
    await expect(textOf(card)).resolves.toContain('满 60 元可用');
    await expect(textOf(card)).resolves.toContain('1,234 过期积分');
    await el(member, 'jf-charity').waitFor();
    await shot(member, 'coupons-01-member-available');

    const s = await openStaff(product.browser);
    const clerk = s.page;
    await staffLogin(clerk, product.server, 'clerk-a');
    await el(clerk, 'jf-nav-coupon').click();
    await settle(clerk);
    await shot(clerk, 'coupons-02-clerk-empty');
    const orderNo = `CPN-${Date.now()}`;
    // Typed in lower case, the field shows the code as printed (upper case): the clerk never has to match case.
    const codeInput = clerk.locator('.jf-coupon-input:visible input');
    await codeInput.click();
    await codeInput.fill(code.toLowerCase());
    await clerk.waitForFunction(
      (want) => (document.querySelector('.jf-coupon-input input') as HTMLInputElement | null)?.value === want,
      code,
      { timeout: 5000 },
    );
    await type(clerk, 'jf-coupon-order', orderNo);
    await type(clerk, 'jf-coupon-amount', '59.99');
    await el(clerk, 'jf-coupon-submit').click();
    await expectText(el(clerk, 'jf-form-error'), (t) => t.includes('门槛'));
    await shot(clerk, 'coupons-03-clerk-below-minimum');
    await type(clerk, 'jf-coupon-amount', '88.00');
    await el(clerk, 'jf-coupon-submit').click();
    await el(clerk, 'jf-coupon-result').waitFor();
    await expectText(el(clerk, 'jf-coupon-pay'), '¥78.00');
    await shot(clerk, 'coupons-04-clerk-redeemed');
    // The same coupon on another order: refused.
    await type(clerk, 'jf-coupon-input', code);
    await type(clerk, 'jf-coupon-order', `${orderNo}-2`);
    await el(clerk, 'jf-coupon-submit').click();
    await expectText(el(clerk, 'jf-form-error'), (t) => t.includes('已使用'));

    await member.reload();
    await settle(member);
    const used = member.locator('.jf-coupon:visible').first();
    await expectClass(used, 'is-used');
    await expectText(used.locator('.jf-coupon-status'), '已使用');
    await shot(member, 'coupons-05-member-used');

    expect(m.problems.filter((p) => !p.includes('409'))).toEqual([]);
    expect(s.problems.filter((p) => !p.includes('409'))).toEqual([]);
    await m.context.close();
    await s.context.close();
  });
});
