import { StaffEntity } from '../../server/src/db/entities';
import { hashPassword } from '../../server/src/services/passwords';
import { TEST_PASSWORD, addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** Adjustments with a second pair of eyes (issue 9 item 4), over HTTP. */
describe('adjustments', () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  let key = 0;
  const newKey = () => `adj-test-key-${++key}`;

  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
    // A second admin and a second service account: approvals by someone else, and self-approval after a promotion.
    const hash = await hashPassword(TEST_PASSWORD);
    for (const [username, role] of [['admin-2', 'admin'], ['service-2', 'service']] as const) {
      await t.ds.getRepository(StaffEntity).insert({ username, passwordHash: hash, role, storeId: null, disabled: false, sessionVersion: 0, createdAt: t.clock().getTime() });
    }
    for (const u of ['service', 'service-2', 'admin', 'admin-2', 'marketing', 'clerk-a']) tok[u] = await staffToken(t, u);
  });
  afterAll(() => t.close());

  const adjust = (who: string, memberId: number, body: unknown, idemKey: string | null = newKey()) =>
    t.request('POST', `/api/v1/admin/members/${memberId}/adjustments`, { token: tok[who], body, headers: idemKey ? { 'Idempotency-Key': idemKey } : {} });
  const entries = (memberId: number) => t.ds.query("SELECT delta, reason, actor, ref_type, ref_id FROM ledger_entry WHERE member_id = ? AND code = 'ADJUST' ORDER BY id", [memberId]);
  const staffId = async (username: string) => Number((await t.ds.query('SELECT id FROM staff WHERE username = ?', [username]))[0].id);

  test('service adjusts with a reason: one ADJUST entry naming the staff member; a replay writes nothing more; the member sees it in 明细', async () => {
    const m = await loginMember(t, 'adj-replay');
    const k = newKey();
    const first = await adjust('service', m.id, { points: 200, reason: '补发双倍积分活动差额' }, k);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ balance: 200, adjustment: { memberId: m.id, points: 200, status: 'applied', requestedBy: { username: 'service', role: 'service' }, decidedBy: null } });
    const again = await adjust('service', m.id, { points: 200, reason: '补发双倍积分活动差额' }, k);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const [r1, r2] = await Promise.all([adjust('service', m.id, { points: 5, reason: '并发重试' }, 'same-key-concurrent'), adjust('service', m.id, { points: 5, reason: '并发重试' }, 'same-key-concurrent')]);
    expect([r1.status, r2.status]).toEqual([201, 201]);
    expect(await entries(m.id)).toEqual([
      { delta: 200, reason: '补发双倍积分活动差额', actor: `staff:${await staffId('service')}`, ref_type: 'adjustment', ref_id: String(first.body.adjustment.id) },
      expect.objectContaining({ delta: 5, reason: '并发重试' }),
    ]);
    expect((await adjust('service', m.id, { points: 201, reason: '补发双倍积分活动差额' }, k)).status).toBe(409); // same key, other body
    const ledger = await t.request('GET', '/api/v1/me/ledger', { token: m.token });
    expect(ledger.body.entries.map((e: { code: string; delta: number; reason: string }) => [e.code, e.delta, e.reason])).toEqual([
      ['ADJUST', 5, '并发重试'],
      ['ADJUST', 200, '补发双倍积分活动差额'],
    ]);
    const audit = await t.ds.query("SELECT action, actor_name, target_type, target_id FROM audit_log WHERE action LIKE 'adjustment.%' AND target_id = ?", [String(m.id)]);
    expect(audit).toEqual([
      { action: 'adjustment.apply', actor_name: 'service', target_type: 'member', target_id: String(m.id) },
      { action: 'adjustment.apply', actor_name: 'service', target_type: 'member', target_id: String(m.id) },
    ]);
    expect(await t.verify()).toEqual([]);
  });

  test('bad input, no key, marketing or a clerk: refused and nothing written', async () => {
    const m = await loginMember(t, 'adj-bad');
    const before = await countRows(t, 'ledger_entry');
    const adjBefore = await countRows(t, 'adjustment');
    for (const body of [{ points: 0, reason: '零分' }, { points: 1.5, reason: '小数' }, { points: 10, reason: '' }, { points: 10 }, { points: 10, reason: 'ok理由', extra: 1 }, { points: 2_000_000, reason: '太大了' }]) {
      expect({ body, status: (await adjust('admin', m.id, body)).status }).toEqual({ body, status: 400 });
    }
    const noKey = await adjust('admin', m.id, { points: 10, reason: '没有幂等键' }, null);
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    expect((await adjust('marketing', m.id, { points: 10, reason: '运营无权' })).status).toBe(403);
    expect((await adjust('clerk-a', m.id, { points: 10, reason: '店员无权' })).status).toBe(403);
    expect((await adjust('admin', 999999, { points: 10, reason: '没有这个会员' })).status).toBe(404);
    expect(await countRows(t, 'ledger_entry')).toBe(before);
    expect(await countRows(t, 'adjustment')).toBe(adjBefore);
  });

  test('a debit beyond the balance is refused, unless an admin allows debt (then the rest is debt); service may not allow debt', async () => {
    const m = await loginMember(t, 'adj-debt');
    await grantPoints(t, m.id, 100);
    const adjBefore = await countRows(t, 'adjustment');
    const refused = await adjust('service', m.id, { points: -150, reason: '扣回误发积分' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'INSUFFICIENT_POINTS']);
    const adminRefused = await adjust('admin', m.id, { points: -150, reason: '扣回误发积分' });
    expect(adminRefused.status).toBe(409); // admin too, unless said explicitly
    const serviceDebt = await adjust('service', m.id, { points: -150, reason: '扣回误发积分', allowDebt: true });
    expect(serviceDebt.status).toBe(403);
    expect(await countRows(t, 'adjustment')).toBe(adjBefore);
    const within = await adjust('service', m.id, { points: -60, reason: '扣回误发积分' });
    expect([within.status, within.body.balance]).toEqual([201, 40]);
    const debt = await adjust('admin', m.id, { points: -100, reason: '扣回欺诈所得', allowDebt: true });
    expect([debt.status, debt.body.balance, debt.body.adjustment.allowDebt]).toEqual([201, -60, true]);
    const page = await t.request('GET', `/api/v1/admin/members/${m.id}`, { token: tok.admin });
    expect(page.body.account).toMatchObject({ balance: -60, debt: 60, available: 0 }); // spendable never below zero (issue 13.1)
    // A later credit repays the debt first.
    expect((await adjust('admin', m.id, { points: 100, reason: '补偿' })).body.balance).toBe(40);
    expect(await t.verify()).toEqual([]);
  });

  test('a large service adjustment waits for an admin; nobody approves their own; approval applies it exactly once', async () => {
    const m = await loginMember(t, 'adj-approval');
    const req = await adjust('service-2', m.id, { points: 5000, reason: '大额补偿:系统故障' });
    expect(req.status).toBe(202);
    expect(req.body).toMatchObject({ balance: null, adjustment: { status: 'pending', points: 5000 } });
    expect(await entries(m.id)).toEqual([]);
    const id = req.body.adjustment.id;
    const dash = await t.request('GET', '/api/v1/admin/dashboard', { token: tok.admin });
    expect(dash.body.cards.find((c: { key: string }) => c.key === 'adjustments-pending')).toMatchObject({ value: 1, tone: 'attention', link: { page: 'approvals' } });
    const queue = await t.request('GET', '/api/v1/admin/adjustments?status=pending', { token: tok.admin });
    expect(queue.body.adjustments.map((a: { id: number }) => a.id)).toContain(id);
    expect((await t.request('POST', `/api/v1/admin/adjustments/${id}/approve`, { token: tok['service'], body: {} })).status).toBe(403); // service cannot approve at all
    // service-2 is promoted to admin: still cannot approve their own request.
    await t.ds.query("UPDATE staff SET role = 'admin' WHERE username = 'service-2'");
    const self = await t.request('POST', `/api/v1/admin/adjustments/${id}/approve`, { token: tok['service-2'], body: {} });
    expect([self.status, self.body.error.code]).toEqual([409, 'SELF_APPROVAL']);
    await t.ds.query("UPDATE staff SET role = 'service' WHERE username = 'service-2'");
    // Two admins approve at once: one applies it, the other finds it decided.
    const [a, b] = await Promise.all([
      t.request('POST', `/api/v1/admin/adjustments/${id}/approve`, { token: tok.admin, body: { note: '核实无误' } }),
      t.request('POST', `/api/v1/admin/adjustments/${id}/approve`, { token: tok['admin-2'], body: {} }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? a : b;
    expect(won.body).toMatchObject({ balance: 5000, adjustment: { status: 'applied', requestedBy: { username: 'service-2' } } });
    expect(await entries(m.id)).toEqual([{ delta: 5000, reason: '大额补偿:系统故障', actor: `staff:${await staffId('service-2')}`, ref_type: 'adjustment', ref_id: String(id) }]);
    const reject = await t.request('POST', `/api/v1/admin/adjustments/${id}/reject`, { token: tok.admin, body: {} });
    expect([reject.status, reject.body.error.code]).toEqual([409, 'ADJUSTMENT_DECIDED']);
    const audit = await t.ds.query("SELECT action, actor_name FROM audit_log WHERE (target_type = 'adjustment' AND target_id = ?) OR (target_type = 'member' AND target_id = ? AND action LIKE 'adjustment.%') ORDER BY id", [String(id), String(m.id)]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['adjustment.request', 'adjustment.approve']);
    expect(await t.verify()).toEqual([]);
  });

  test('at or below the limit service applies directly; a rejected request books nothing; admins never wait', async () => {
    const m = await loginMember(t, 'adj-limit');
    expect((await adjust('service', m.id, { points: 1000, reason: '恰好等于上限' })).status).toBe(201);
    expect((await adjust('admin', m.id, { points: 50_000, reason: '管理员大额调整' })).status).toBe(201);
    const req = await adjust('service', m.id, { points: -1001, reason: '大额扣减需审批' });
    expect(req.status).toBe(202);
    const rej = await t.request('POST', `/api/v1/admin/adjustments/${req.body.adjustment.id}/reject`, { token: tok.admin, body: { note: '证据不足' } });
    expect(rej.status).toBe(200);
    expect(rej.body.adjustment).toMatchObject({ status: 'rejected', decisionNote: '证据不足', decidedBy: { username: 'admin' }, entryId: null });
    expect((await entries(m.id)).map((e: { delta: number }) => e.delta)).toEqual([1000, 50_000]);
    const list = await t.request('GET', '/api/v1/admin/adjustments?status=rejected', { token: tok.service });
    expect(list.body.adjustments[0]).toMatchObject({ id: req.body.adjustment.id, memberId: m.id, memberNickname: expect.any(String) });
    const page = await t.request('GET', `/api/v1/admin/members/${m.id}`, { token: tok.service });
    expect(page.body.adjustments.map((x: { status: string }) => x.status)).toEqual(['rejected', 'applied', 'applied']);
  });
});
