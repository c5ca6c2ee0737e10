import { addStoresAndStaff, countRows, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** The agreement at registration (issue 11 item 1), over HTTP with the injected clock. */
describe('agreement at registration', () => {
  let t: TestApp;
  let admin: string;
  const GIFT = 100;

  beforeAll(async () => {
    t = await startTestApp({ rules: (r) => ({ ...r, welcome: { giftPoints: GIFT } }) });
    await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
  });
  afterAll(() => t.close());

  const agreement = (token: string) => t.request('GET', '/api/v1/me/agreement', { token });
  const accept = (token: string, version: number, privacyVersion: number) => t.request('POST', '/api/v1/me/agreement', { token, body: { version, privacyVersion } });
  const ledgerRows = async (memberId: number) => Number((await t.ds.query('SELECT COUNT(*) AS n FROM ledger_entry WHERE member_id = ?', [memberId]))[0].n);

  test('a new member is asked first: every earn/spend route answers 409 AGREEMENT_REQUIRED and writes nothing; reading works', async () => {
    const m = await loginMember(t, 'newcomer-1', { accept: false });
    const doc = await agreement(m.token);
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ version: 1, title: '积分服务协议', acceptedVersion: null, required: true, welcomeGiftPoints: GIFT, privacy: { version: 1, title: '隐私政策', acceptedVersion: null } });
    expect(doc.body.body).toContain('积分');

    const before = await countRows(t, 'ledger_entry');
    const refused = await Promise.all([
      t.request('POST', '/api/v1/me/checkins', { token: m.token }),
      t.request('GET', '/api/v1/me/code', { token: m.token }),
      t.request('POST', '/api/v1/me/redemptions', { token: m.token, body: { rewardId: 1, quantity: 1 }, headers: { 'Idempotency-Key': 'agreement-redeem-1' } }),
      t.request('POST', '/api/v1/me/tasks/share', { token: m.token, body: {} }),
      t.request('POST', '/api/v1/me/tasks/bind-card', { token: m.token, body: { cardNo: '6222020200112233' } }),
      t.request('POST', '/api/v1/me/tasks/survey', { token: m.token, body: { surveyId: 'q1' } }),
      t.request('POST', '/api/v1/me/tasks/review', { token: m.token, body: { orderNo: 'X1' } }),
      t.request('POST', '/api/v1/me/invites', { token: m.token, body: { inviteCode: 'A' } }),
    ]);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'AGREEMENT_REQUIRED', message: '请先阅读并同意积分服务协议' });
    }
    expect(await countRows(t, 'ledger_entry')).toBe(before);
    expect(await countRows(t, 'task_completion')).toBe(0);
    // Reading is not earning: 首页 and 明细 load.
    expect((await t.request('GET', '/api/v1/me', { token: m.token })).body.balance).toBe(0);
    expect((await t.request('GET', '/api/v1/me/ledger', { token: m.token })).status).toBe(200);
  });

  test('acceptance of stale versions is refused; the current ones are recorded with time and address and credit the gift once', async () => {
    const m = await loginMember(t, 'newcomer-2', { accept: false });
    const stale = await accept(m.token, 2, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('AGREEMENT_OUTDATED');
    expect(await countRows(t, 'agreement_acceptance')).toBe(0);
    expect(await ledgerRows(m.id)).toBe(0);

    t.clock.set(new Date('2026-06-15T05:00:00Z'));
    const ok = await accept(m.token, 1, 1);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ acceptedVersion: 1, privacyVersion: 1, acceptedAt: '2026-06-15T05:00:00.000Z', giftPoints: GIFT, balance: GIFT });
    const rows = await t.ds.query('SELECT terms_version, privacy_version, ip, accepted_at FROM agreement_acceptance WHERE member_id = ?', [m.id]);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].accepted_at)).toBe(Date.parse('2026-06-15T05:00:00Z'));
    expect(rows[0].ip).toMatch(/127\.0\.0\.1/);

    // A repeat (double tap, retry) writes nothing and gives nothing.
    const again = await accept(m.token, 1, 1);
    expect(again.body).toMatchObject({ acceptedVersion: 1, giftPoints: 0, balance: GIFT, acceptedAt: '2026-06-15T05:00:00.000Z' });
    expect(await ledgerRows(m.id)).toBe(1);
    const ledger = await t.request('GET', '/api/v1/me/ledger', { token: m.token });
    expect(ledger.body.entries[0]).toMatchObject({ code: 'EARN_TASK', delta: GIFT, reason: '新会员欢迎礼', refType: 'welcome' });
    expect((await agreement(m.token)).body).toMatchObject({ required: false, acceptedVersion: 1, welcomeGiftPoints: 0 });

    // The first check-in now works.
    const checkin = await t.request('POST', '/api/v1/me/checkins', { token: m.token });
    expect(checkin.status).toBe(201);
    expect(checkin.body.balance).toBe(GIFT + 1);
    expect(await t.verify()).toEqual([]);
  });

  test('concurrent first acceptances credit the gift exactly once', async () => {
    const m = await loginMember(t, 'newcomer-3', { accept: false });
    const all = await Promise.all(Array.from({ length: 6 }, () => accept(m.token, 1, 1)));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(all.map((r) => r.body.giftPoints).sort((a, b) => b - a)).toEqual([GIFT, 0, 0, 0, 0, 0]);
    expect(await ledgerRows(m.id)).toBe(1);
    expect(Number((await t.ds.query('SELECT COUNT(*) AS n FROM agreement_acceptance WHERE member_id = ?', [m.id]))[0].n)).toBe(1);
  });

  test('admin publishes a new version (a new row, audited): members are asked again, the old version is refused, no second gift', async () => {
    const m = await loginMember(t, 'newcomer-4');
    expect((await agreement(m.token)).body.required).toBe(false);

    const service = await staffToken(t, 'service');
    expect((await t.request('POST', '/api/v1/admin/agreements', { token: service, body: { kind: 'terms', title: 'x', body: '0123456789' } })).status).toBe(403);
    const bad = await t.request('POST', '/api/v1/admin/agreements', { token: admin, body: { kind: 'terms', title: '积分服务协议', body: '太短' } });
    expect(bad.status).toBe(400);
    const announced = async () => Number((await t.ds.query("SELECT COUNT(*) AS n FROM notification WHERE kind = 'AGREEMENT_UPDATED'"))[0].n);
    expect(await announced()).toBe(0); // refused: nobody told

    t.clock.advance(60_000);
    const pub = await t.request('POST', '/api/v1/admin/agreements', { token: admin, body: { kind: 'terms', title: '积分服务协议(2027 版)', body: '第一条 积分规则更新:每消费 1 元得 1 积分。\n第二条 其余不变。' } });
    expect(pub.status).toBe(201);
    expect(pub.body.document).toMatchObject({ kind: 'terms', version: 2, createdBy: 'admin', acceptedCount: 0 });
    const audit = await t.ds.query("SELECT action, target_id FROM audit_log WHERE action = 'agreement.publish'");
    expect(audit).toHaveLength(1);
    // Announced to every member at once (one notice each, in the publishing transaction), not only asked on next open.
    expect(await announced()).toBe(await countRows(t, 'member'));
    const notices = await t.request('GET', '/api/v1/me/notifications', { token: m.token });
    expect(notices.status).toBe(200);
    expect(notices.body.notifications[0]).toMatchObject({ kind: 'AGREEMENT_UPDATED', title: '积分服务协议已更新' });
    expect(notices.body.notifications[0].body).toContain('《积分服务协议(2027 版)》已更新为第 2 版');

    const list = await t.request('GET', '/api/v1/admin/agreements', { token: admin });
    const terms = list.body.documents.filter((d: any) => d.kind === 'terms');
    expect(terms.map((d: any) => d.version)).toEqual([2, 1]);
    expect(terms[1].acceptedCount).toBeGreaterThanOrEqual(3);
    expect(list.body.documents.filter((d: any) => d.kind === 'privacy').map((d: any) => d.version)).toEqual([1]);

    const doc = await agreement(m.token);
    expect(doc.body).toMatchObject({ version: 2, title: '积分服务协议(2027 版)', acceptedVersion: 1, required: true, welcomeGiftPoints: 0 });
    const refused = await t.request('POST', '/api/v1/me/checkins', { token: m.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('AGREEMENT_REQUIRED');
    expect((await accept(m.token, 1, 1)).body.error.code).toBe('AGREEMENT_OUTDATED');

    const ok = await accept(m.token, 2, 1);
    expect(ok.body).toMatchObject({ acceptedVersion: 2, privacyVersion: 1, giftPoints: 0, balance: GIFT });
    expect((await t.request('POST', '/api/v1/me/checkins', { token: m.token })).status).toBe(201);
    // Both acceptances stay on record.
    expect((await t.ds.query('SELECT terms_version FROM agreement_acceptance WHERE member_id = ? ORDER BY id', [m.id])).map((r: any) => Number(r.terms_version))).toEqual([1, 2]);
  });

  test('a member who has not accepted cannot be served at the till (no member code); staff routes are not gated', async () => {
    const m = await loginMember(t, 'newcomer-5', { accept: false });
    expect((await t.request('GET', '/api/v1/me/code', { token: m.token })).body.error.code).toBe('AGREEMENT_REQUIRED');
    const r = await t.request('GET', `/api/v1/admin/members/${m.id}`, { token: admin });
    expect(r.status).toBe(200);
  });
});
