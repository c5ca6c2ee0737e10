import { readFileSync } from 'node:fs';
import { SCREENSHOT_DIR, openPage, settle, shot, useProduct } from './harness';
import { el, expectNum, expectText, memberLogin, num, numOf, openMember, openStaff, staffLogin, tab, textOf, type } from './ui';

/**
 * Issue 9 items 3-5 in the browser: dave binds his phone on 我的; service finds him by that phone, reads his
 * page and adjusts with a reason, and dave's 明细 shows it; a large service adjustment waits in admin's
 * approval queue and is approved; admin imports a CSV through the wizard (preview with an error, commit,
 * result, download). Screenshots of every screen, at 1280 px and the search and member page at 375 px.
 */
describe('back office: members, adjustments, imports', () => {
  const product = useProduct();

  test('phone binding, search by phone, member page, adjustment with a reason, the member sees it', async () => {
    // -- dave binds his phone on 我的 (H5: the dev input) --
    const m = await openMember(product.browser);
    const member = m.page;
    await memberLogin(member, product.server, 'dave');
    const balance0 = await numOf(el(member, 'jf-balance'));
    await tab(member, '我的');
    await expectText(el(member, 'jf-phone-value'), '绑定手机号');
    await el(member, 'jf-phone-open').click();
    await type(member, 'jf-phone-input', '13800138000');
    await el(member, 'jf-phone-submit').click();
    await expectText(el(member, 'jf-phone-value'), '138****8000');
    await shot(member, 'bo-members-01-profile-phone');

    // -- service signs in, lands on 会员, searches by the phone --
    const s = await openStaff(product.browser);
    const service = s.page;
    await staffLogin(service, product.server, 'service');
    await el(service, 'jf-member-search-input').waitFor();
    await el(service, 'jf-member-row').first().waitFor(); // the newest members before any search
    await type(service, 'jf-member-search-input', '13800138000');
    await el(service, 'jf-member-search-btn').click();
    await expectText(el(service, 'jf-member-results').locator('.muted').first(), '「13800138000」的查询结果');
    const row = el(service, 'jf-member-row');
    await expect(row.count()).resolves.toBe(1);
    await expectText(row.locator('.jf-member-nickname'), (t) => t.length > 0);
    await expectText(row.locator('.jf-member-phone'), '138****8000'); // masked for service
    await shot(service, 'bo-members-02-search');

    // -- the member page --
    await row.click();
    await settle(service);
    await el(service, 'jf-member-head').waitFor();
    await expectNum(el(service, 'jf-member-balance'), balance0);
    await expectText(el(service, 'jf-member-phone'), '138****8000');
    // 保级: the stored tier since when, and its review date or that the base tier has none.
    await expectText(el(service, 'jf-member-tier-year'), /会员 · 自 \d{4}-\d{2}-\d{2}.*(· 复核日 \d{4}-\d{2}-\d{2}|基础等级,无需保级)/);
    await el(service, 'jf-lot-row').first().waitFor();
    await el(service, 'jf-ledger-row').first().waitFor();
    await shot(service, 'bo-members-03-member-page');

    // -- the adjustment form: +200 with a reason; the preview shows the balance after --
    const reason = '补发 6 月会员日漏积的积分';
    await type(service, 'jf-adjust-points', '200');
    await type(service, 'jf-adjust-reason', reason);
    await expectNum(el(service, 'jf-adjust-balance-after'), balance0 + 200);
    await shot(service, 'bo-members-04-adjust-form');
    await el(service, 'jf-adjust-submit').click();
    await expectText(el(service, 'jf-adjust-result'), `已调整 +200 分,余额 ${(balance0 + 200).toLocaleString('en-US')}`);
    await expectNum(el(service, 'jf-member-balance'), balance0 + 200);
    const top = el(service, 'jf-ledger-row').first();
    await expectText(top.locator('.jf-ledger-delta'), '+200');
    await expect(textOf(top.locator('.jf-ledger-reason'))).resolves.toContain(reason);

    // -- a large adjustment waits for an admin --
    await type(service, 'jf-adjust-points', '5000');
    await type(service, 'jf-adjust-reason', '系统故障大额补偿');
    await el(service, 'jf-adjust-needs-approval').waitFor();
    await expectText(el(service, 'jf-adjust-submit'), '提交审批');
    await el(service, 'jf-adjust-submit').click();
    await expectText(el(service, 'jf-adjust-result'), '已提交审批:+5,000 分,等待管理员处理');
    await expectNum(el(service, 'jf-member-balance'), balance0 + 200);
    await shot(service, 'bo-members-05-member-page-after');

    // -- the same pages at 375 px --
    const narrow = await openPage(product.browser, { width: 375, height: 812 });
    await staffLogin(narrow.page, product.server, 'service');
    await type(narrow.page, 'jf-member-search-input', '13800138000');
    await el(narrow.page, 'jf-member-search-btn').click();
    await expectText(el(narrow.page, 'jf-member-row').locator('.jf-member-phone'), '138****8000');
    await shot(narrow.page, 'bo-members-06-search-375');
    await el(narrow.page, 'jf-member-row').click();
    await settle(narrow.page);
    await el(narrow.page, 'jf-adjust-form').waitFor();
    await shot(narrow.page, 'bo-members-07-member-page-375');
    // What a phone shows first: who, then the adjustment form (the long lists come after it).
    await narrow.page.screenshot({ path: `${SCREENSHOT_DIR}/bo-members-07b-member-page-375-top.png` });

    // -- a gold member's page (carol, 000003): the tier year's points against the points that keep it --
    await staffLogin(narrow.page, product.server, 'service');
    await type(narrow.page, 'jf-member-search-input', '000003');
    await el(narrow.page, 'jf-member-search-btn').click();
    await el(narrow.page, 'jf-member-row').first().click();
    await settle(narrow.page);
    await expectText(el(narrow.page, 'jf-member-tier'), '黄金会员');
    await expectText(el(narrow.page, 'jf-member-tier-year'), /黄金会员 · 自 \d{4}-\d{2}-\d{2} · 复核日 \d{4}-\d{2}-\d{2}/);
    await expectText(el(narrow.page, 'jf-member-tier-keep'), /^本年度定级积分 [\d,]+ \/ 保级线 2,001 · (已达保级线|还差 [\d,]+ 分)$/);
    await narrow.page.screenshot({ path: `${SCREENSHOT_DIR}/bo-members-07c-gold-member-375-top.png` });

    // -- admin approves it in the queue --
    const a = await openStaff(product.browser);
    const admin = a.page;
    await staffLogin(admin, product.server, 'admin');
    await el(admin, 'jf-nav-approvals').click();
    await settle(admin);
    const pending = admin.locator('.jf-approval-row.is-pending:visible', { hasText: '系统故障大额补偿' });
    await pending.waitFor();
    await shot(admin, 'bo-members-08-approval-queue');
    await pending.locator('.jf-approval-approve').click();
    await admin.locator('.taro-modal__foot >> text=通过').click();
    await admin.locator('.jf-approval-row.is-pending:visible', { hasText: '系统故障大额补偿' }).waitFor({ state: 'detached' });
    await el(admin, 'jf-approval-filter-applied').click();
    await admin.locator('.jf-approval-row.is-applied:visible', { hasText: '系统故障大额补偿' }).waitFor();
    await shot(admin, 'bo-members-09-approval-applied');

    // -- dave's 明细 shows both, with their reasons --
    await tab(member, '明细');
    const entries = member.locator('.jf-ledger-entry:visible');
    await expectText(entries.first().locator('.jf-entry-delta'), '+5,000');
    await expectText(entries.first().locator('.jf-entry-reason'), '系统故障大额补偿');
    await expectText(entries.nth(1).locator('.jf-entry-delta'), '+200');
    await expectText(entries.nth(1).locator('.jf-entry-reason'), reason);
    await shot(member, 'bo-members-10-member-ledger');
    await tab(member, '首页');
    await expectNum(el(member, 'jf-balance'), balance0 + 5200);

    for (const p of [m, s, narrow, a]) expect(p.problems).toEqual([]);
    await Promise.all([m.context.close(), s.context.close(), narrow.context.close(), a.context.close()]);
  }, 240_000); // four browser contexts on a shared 2-core machine

  test('admin imports a CSV: preview with an error, commit, result, download', async () => {
    const a = await openStaff(product.browser);
    const admin = a.page;
    await staffLogin(admin, product.server, 'admin');
    await el(admin, 'jf-nav-imports').click();
    await settle(admin);
    await el(admin, 'jf-import-choose').waitFor();
    await shot(admin, 'bo-members-11-import-upload');

    // The file dialog: a CSV as Excel saves it (BOM, CRLF, a header, a quoted reason) with one bad line.
    const csv = '\ufeff手机号或会员号,积分,原因\r\n000001,100,"春季活动补发, 第一批"\r\n000002,50,春季活动补发\r\n19999999999,10,没有这个会员\r\n000003,-5,扣回\r\n';
    const chooser = admin.waitForEvent('filechooser');
    await el(admin, 'jf-import-choose').click();
    await (await chooser).setFiles({ name: '积分调整.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await el(admin, 'jf-import-preview').waitFor();
    await expectText(el(admin, 'jf-import-valid'), '3');
    await expectText(el(admin, 'jf-import-invalid'), '1');
    await expectText(el(admin, 'jf-import-total'), '+145');
    await expectText(el(admin, 'jf-import-error').locator('.tag'), '第 4 行');
    await shot(admin, 'bo-members-12-import-preview');

    await el(admin, 'jf-import-commit').click();
    await el(admin, 'jf-import-result').waitFor();
    await expectText(el(admin, 'jf-import-applied'), /行已入账$/);
    const applied = num(await textOf(el(admin, 'jf-import-applied')));
    const failed = num(await textOf(el(admin, 'jf-import-failed')));
    expect(applied + failed).toBe(3);
    await shot(admin, 'bo-members-13-import-result');

    const download = admin.waitForEvent('download');
    await el(admin, 'jf-import-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^导入结果-\d+\.csv$/);
    const path = await file.path();
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\ufeff行号,')).toBe(true);
    expect(text.split('\r\n').filter((l) => l.includes(',已入账,'))).toHaveLength(applied);
    expect(a.problems).toEqual([]);
    await a.context.close();
  });
});
