import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { settle, shot, useProduct } from './harness';
import { MEMBER_VIEWPORT, el, expectNum, expectText, memberLogin, numOf, openMember, openStaff, staffLogin, tab, textOf, type } from './ui';

/**
 * The rewards catalogue in Chromium (issue 9 items 1, 2, 8): admin sees low stock on 概览, opens 商品, creates a
 * reward with an uploaded picture (the form's live shelf card shows it), puts it on sale; dave finds it on his
 * shelf with that picture and 价值 ¥X and redeems it; the admin restocks and sees the movement; then the
 * list and the form at phone width.
 */
const PICTURE = path.join(__dirname, '../../server/assets/rewards/tumbler.png');

describe('back office: rewards catalogue', () => {
  const product = useProduct();

  /** Toasts gone, so a screenshot shows the screen, not a transition. */
  async function calm(page: Page): Promise<void> {
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.taro__toast')].every((t) => getComputedStyle(t).display === 'none'), undefined, { timeout: 10_000 });
  }

  async function rowCount(page: Page, n: number): Promise<void> {
    await page.waitForFunction((want) => [...document.querySelectorAll('.jf-reward-row')].filter((r) => r.getClientRects().length > 0).length === want, n, { timeout: 10_000 });
  }

  /** Waits until every visible <img> inside has loaded (a screenshot must show the pictures). */
  async function imagesLoaded(scope: Locator): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const states = await scope.locator('img').evaluateAll((imgs) =>
        (imgs as HTMLImageElement[]).filter((i) => i.getClientRects().length > 0).map((i) => i.complete && i.naturalWidth > 0),
      );
      if (states.length > 0 && states.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`${scope.toString()}: images not loaded (${JSON.stringify(states)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test('admin creates a reward with an uploaded image; dave sees it on the shelf and redeems it', async () => {
    // -- admin lands on 概览: the low-stock card (限量徽章 has 3 left, 会员生日蛋糕 10) --
    const a = await openStaff(product.browser);
    const admin = a.page;
    await staffLogin(admin, product.server, 'admin');
    await el(admin, 'jf-dash-grid').waitFor();
    const low = el(admin, 'jf-dash-rewards-low-stock');
    await expectText(low.locator('.jf-dash-value'), '2');
    await el(admin, 'jf-dash-rewards-ending').waitFor();
    await shot(admin, 'rewards-01-dashboard');
    // The card opens the list filtered to low stock.
    await low.click();
    await settle(admin);
    await el(admin, 'jf-rewards-table').waitFor();
    await rowCount(admin, 2);
    await admin.locator('.jf-reward-row:visible', { hasText: '限量徽章' }).waitFor();

    // -- 商品: all rewards, with pictures --
    await el(admin, 'jf-filter-low').click();
    await rowCount(admin, 13);
    await imagesLoaded(el(admin, 'jf-rewards-table'));
    await shot(admin, 'rewards-02-list');

    // -- 新建商品: title, picture, prices, stock, on sale; the preview follows the form --
    await el(admin, 'jf-reward-new').click();
    await settle(admin);
    await type(admin, 'jf-reward-title', '品牌随行杯 E2E');
    const chooser = admin.waitForEvent('filechooser');
    await el(admin, 'jf-reward-image-add').click();
    await (await chooser).setFiles(PICTURE);
    await el(admin, 'jf-reward-image').waitFor();
    await type(admin, 'jf-reward-face', '1.5');
    await type(admin, 'jf-reward-cost', '0.6');
    await expectText(el(admin, 'jf-reward-anchor'), '按价值锚定为 150 分(点此填入)');
    await el(admin, 'jf-reward-anchor').click();
    await expectText(el(admin, 'jf-reward-anchor'), '与价值锚定一致');
    await type(admin, 'jf-reward-stock', '8');
    await type(admin, 'jf-reward-category', '周边');
    await type(admin, 'jf-reward-limit', '2');
    await el(admin, 'jf-reward-status-chips').locator('.jf-chip-on_sale').click();
    const preview = el(admin, 'jf-reward-preview');
    await expectText(preview.locator('.reward-title'), '品牌随行杯 E2E');
    await expectText(preview.locator('.jf-face-value'), '价值 ¥1.50');
    await expectText(preview.locator('.jf-price'), '150 积分');
    await expectText(preview.locator('.jf-stock'), '仅剩 8 件');
    await imagesLoaded(el(admin, 'jf-reward-preview'));
    const src = await preview.locator('img').first().getAttribute('src');
    expect(src).toMatch(/\/api\/v1\/uploads\/[0-9a-f]{64}\.png$/);
    await shot(admin, 'rewards-03-form-preview');
    await el(admin, 'jf-reward-save').click();
    await settle(admin);
    const row = admin.locator('.jf-reward-row:visible', { hasText: '品牌随行杯 E2E' });
    await row.waitFor();
    await expectText(row.locator('.jf-reward-status'), '在售');
    await expectText(row.locator('.jf-reward-row-stock'), '8');
    await calm(admin);

    // -- dave: the shelf shows the picture and its worth; he redeems it --
    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'dave');
    await tab(member, '兑换');
    const card = member.locator('.jf-reward:visible', { hasText: '品牌随行杯 E2E' });
    await card.waitFor();
    await expectText(card.locator('.jf-face-value'), '价值 ¥1.50');
    await expect(numOf(card.locator('.jf-price'))).resolves.toBe(150);
    // The shelf loads pictures as they scroll into view.
    await card.scrollIntoViewIfNeeded();
    await imagesLoaded(card);
    expect(await card.locator('img').first().getAttribute('src')).toBe(src);
    await shot(member, 'rewards-04-member-shelf');
    const balance = await numOf(el(member, 'jf-shelf-balance'));
    await card.click();
    await el(member, 'jf-redeem-sheet').waitFor();
    await expectText(el(member, 'jf-confirm-face-value'), '价值 ¥1.50');
    await el(member, 'jf-redeem-confirm').click();
    await el(member, 'jf-redeem-result').waitFor();
    expect(await textOf(el(member, 'jf-pickup-code'))).toMatch(/^[0-9A-Z]{10}$/);
    await expectNum(el(member, 'jf-result-balance'), balance - 150);
    await shot(member, 'rewards-05-member-redeemed');

    // -- admin: the list shows 1 redeemed and 7 left; restock 5 with a reason in the form --
    await el(admin, 'jf-nav-dashboard').click();
    await settle(admin);
    await el(admin, 'jf-nav-rewards').click();
    await settle(admin);
    const again = admin.locator('.jf-reward-row:visible', { hasText: '品牌随行杯 E2E' });
    await expectText(again.locator('.jf-reward-row-stock'), '7');
    await again.locator('.jf-reward-edit').click();
    await settle(admin);
    await expectText(el(admin, 'jf-stock-now'), '7');
    await type(admin, 'jf-stock-delta', '5');
    await type(admin, 'jf-stock-reason', '到货补库存');
    await el(admin, 'jf-stock-submit').click();
    await expectText(el(admin, 'jf-stock-now'), '12');
    await expectText(el(admin, 'jf-stock-move').first(), (t) => t.includes('到货补库存') && t.includes('+5'));
    await expect(textOf(el(admin, 'jf-stock-move').nth(1))).resolves.toContain('兑换');
    await calm(admin);
    await imagesLoaded(el(admin, 'jf-reward-preview'));
    await shot(admin, 'rewards-06-edit-stock');

    // -- a phone-width browser: the list and the form still work --
    await admin.setViewportSize(MEMBER_VIEWPORT);
    await shot(admin, 'rewards-07-edit-375');
    await admin.goBack(); // the form is a sub-page of 商品: back to the list
    await settle(admin);
    await el(admin, 'jf-rewards-table').waitFor();
    await imagesLoaded(el(admin, 'jf-rewards-table'));
    await shot(admin, 'rewards-08-list-375');

    for (const p of [a, m]) expect(p.problems).toEqual([]);
  });
});
