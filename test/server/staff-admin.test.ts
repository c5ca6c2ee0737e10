import { StaffEntity } from '../../server/src/db/entities';
import { addStoresAndStaff, countRows, loginMember, postPurchase, snapshotCounts, staffToken, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

/**
 * Staff accounts and stores in the back office (issue 9 item 6) and sessions that end when an admin says so
 * (issue 8 item 2), over HTTP on the real app.
 */
const API = '/api/v1';
type Member = { token: string; id: number };

async function auditRows(t: TestApp, action?: string): Promise<any[]> {
  const admin = await staffToken(t, 'admin');
  const res = await t.request('GET', `${API}/admin/audit${action ? `?action=${action}` : ''}`, { token: admin });
  expect(res.status).toBe(200);
  return res.body.entries;
}

async function staffId(t: TestApp, username: string): Promise<number> {
  return (await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { username } })).id;
}

describe('staff sessions end when an admin changes the account', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let admin: string;
  let bob: Member;
  let order = 0;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
    bob = await loginMember(t, 'bob');
  });
  afterEach(() => t.close());

  /** clerk-a posts an order for bob and refunds 1 yuan of it with this token; answers the refund's response. */
  async function refundWith(token: string, orderNo: string) {
    return t.request('POST', `${API}/till/purchases/${orderNo}/refunds`, { token, body: { amountFen: 100 }, headers: { 'Idempotency-Key': `refund-key-${++order}` } });
  }
  async function buy(token: string): Promise<string> {
    t.clock.advance(30_000); // a fresh member code
    const orderNo = `O-${++order}`;
    await postPurchase(t, token, bob, orderNo, 50_000);
    return orderNo;
  }

  type AsAdmin = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  const changes: [string, (asAdmin: AsAdmin, id: number, s: { storeA: number; storeB: number }) => Promise<{ status: number; body: any }>, string][] = [
    ['disable', (asAdmin, id) => asAdmin('PATCH', `/admin/staff/${id}`, { disabled: true }), 'staff.disable'],
    ['role change', (asAdmin, id) => asAdmin('PATCH', `/admin/staff/${id}`, { role: 'service' }), 'staff.role'],
    ['store change', (asAdmin, id, s) => asAdmin('PATCH', `/admin/staff/${id}`, { storeId: s.storeB }), 'staff.store'],
    ['password reset', (asAdmin, id) => asAdmin('POST', `/admin/staff/${id}/password`), 'staff.password_reset'],
  ];

  test.each(changes)("%s: the clerk's open token refunds before, and its next refund is 401 SESSION_REVOKED and writes nothing", async (_name, change, action) => {
    const clerk = await staffToken(t, 'clerk-a');
    const other = await staffToken(t, 'clerk-b');
    const orderNo = await buy(clerk);
    expect((await refundWith(clerk, orderNo)).status).toBe(201);

    const id = await staffId(t, 'clerk-a');
    const res = await change((method, path, body) => t.request(method, `${API}${path}`, { token: admin, body }), id, stores);
    expect(res.status).toBe(200);
    const before = await snapshotCounts(t);
    const audits = await countRows(t, 'audit_log');
    const refused = await refundWith(clerk, orderNo);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SESSION_REVOKED');
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await countRows(t, 'audit_log')).toBe(audits);
    // Another clerk's session is untouched; the change is in the audit trail with before and after.
    t.clock.advance(30_000);
    expect((await t.request('GET', `${API}/me/code`, { token: bob.token })).status).toBe(200);
    await postPurchase(t, other, bob, `B-${order}`, 1000);
    const [entry] = await auditRows(t, action);
    expect(entry).toMatchObject({ action, actor: { username: 'admin', role: 'admin' }, target: { type: 'staff', id: String(id) } });
    expect(entry.after.sessionVersion).toBe(entry.before.sessionVersion + 1);
    expect(await t.verify()).toEqual([]);
  });

  test('enable lets the clerk sign in again, but the token from before the disable stays dead', async () => {
    const clerk = await staffToken(t, 'clerk-a');
    const id = await staffId(t, 'clerk-a');
    expect((await t.request('PATCH', `${API}/admin/staff/${id}`, { token: admin, body: { disabled: true } })).body.staff).toMatchObject({ disabled: true });
    const login = await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-a', password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    expect((await t.request('PATCH', `${API}/admin/staff/${id}`, { token: admin, body: { disabled: false } })).body.staff).toMatchObject({ disabled: false });
    const probe = (token: string) => t.request('POST', `${API}/till/redemptions/ZZZZZZZZZZ/fulfil`, { token });
    expect((await probe(clerk)).body.error.code).toBe('SESSION_REVOKED');
    expect((await probe(await staffToken(t, 'clerk-a'))).status).toBe(404); // a new sign-in works
    const entries = (await auditRows(t)).slice(0, 3);
    expect(entries.map((e) => e.action)).toEqual(['staff.enable', 'staff.login_failed', 'staff.disable']);
    // The refused sign-in while disabled is on file too, against the account.
    expect(entries[1]).toMatchObject({ actor: { id: null, username: 'clerk-a', role: null }, target: { type: 'staff', id: String(id) }, after: { accountDisabled: true } });
  });

  test('the reset password is answered once, works, and the old one does not; only a hash is stored', async () => {
    const id = await staffId(t, 'clerk-a');
    const res = await t.request('POST', `${API}/admin/staff/${id}/password`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const password: string = res.body.password;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(res.body.staff).toMatchObject({ id, username: 'clerk-a', role: 'clerk', storeId: stores.storeA, disabled: false });
    expect((await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-a', password: TEST_PASSWORD } })).status).toBe(401);
    expect((await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-a', password } })).status).toBe(200);
    const row = await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain(password);
    const audit = JSON.stringify(await t.ds.query('SELECT * FROM audit_log'));
    expect(audit).not.toContain(password);
    expect(audit).not.toContain('scrypt');
  });
});

describe('staff accounts (admin)', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
  });
  afterEach(() => t.close());

  const create = (body: unknown, token = admin) => t.request('POST', `${API}/admin/staff`, { token, body });
  const patch = (id: number, body: unknown, token = admin) => t.request('PATCH', `${API}/admin/staff/${id}`, { token, body });

  test('create a clerk: the password is shown once and logs in at that store; the list shows role, store and status', async () => {
    const res = await create({ username: 'Clerk-C', displayName: '王小明', role: 'clerk', storeId: stores.storeB });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.staff).toMatchObject({ username: 'clerk-c', displayName: '王小明', role: 'clerk', storeId: stores.storeB, storeCode: 'B', storeName: '三里屯店', disabled: false });
    const login = await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-c', password: res.body.password } });
    expect(login.body.staff).toMatchObject({ role: 'clerk', storeName: '三里屯店' });

    const list = await t.request('GET', `${API}/admin/staff`, { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.staff.map((s: any) => s.username)).toEqual(['admin', 'clerk-a', 'clerk-b', 'clerk-c', 'marketing', 'service']);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/i);
    const clerks = await t.request('GET', `${API}/admin/staff?role=clerk&storeId=${stores.storeB}`, { token: admin });
    expect(clerks.body.staff.map((s: any) => s.username)).toEqual(['clerk-b', 'clerk-c']);
    expect((await t.request('GET', `${API}/admin/staff?q=%E5%B0%8F%E6%98%8E`, { token: admin })).body.staff.map((s: any) => s.username)).toEqual(['clerk-c']);

    const [entry] = await auditRows(t, 'staff.create');
    expect(entry).toMatchObject({ actor: { username: 'admin', role: 'admin' }, target: { type: 'staff', id: String(res.body.staff.id) }, before: null });
    expect(entry.after).toEqual({ username: 'clerk-c', displayName: '王小明', role: 'clerk', storeId: stores.storeB, disabled: false, sessionVersion: 0 });
    expect(JSON.stringify(entry)).not.toContain(res.body.password);
  });

  test('a clerk needs a store, other roles none; a taken name, an unknown or closed store and bad input write nothing', async () => {
    const before = await countRows(t, 'staff');
    const audits = await countRows(t, 'audit_log');
    const refused: [unknown, number, string][] = [
      [{ username: 'c1', role: 'clerk' }, 400, 'STAFF_STORE_RULE'],
      [{ username: 'c1', role: 'clerk', storeId: null }, 400, 'STAFF_STORE_RULE'],
      [{ username: 'm1', role: 'marketing', storeId: stores.storeA }, 400, 'STAFF_STORE_RULE'],
      [{ username: 'clerk-a', role: 'admin' }, 409, 'USERNAME_TAKEN'],
      [{ username: 'CLERK-A', role: 'admin' }, 409, 'USERNAME_TAKEN'],
      [{ username: 'c1', role: 'clerk', storeId: 99_999 }, 400, 'VALIDATION_FAILED'],
      [{ username: 'x', role: 'admin' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'has space', role: 'admin' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'boss', role: 'boss' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'p1', role: 'admin', password: 'chosen-by-admin' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'n1', role: 'admin', displayName: 'x'.repeat(33) }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refused) {
      const res = await create(body);
      expect([body, res.status, res.body.error?.code]).toEqual([body, status, code]);
    }
    await t.request('PATCH', `${API}/admin/stores/${stores.storeB}`, { token: admin, body: { closed: true } });
    const closed = await create({ username: 'c2', role: 'clerk', storeId: stores.storeB });
    expect([closed.status, closed.body.error.code]).toEqual([409, 'STORE_CLOSED_NO_CLERKS']);
    expect(await countRows(t, 'staff')).toBe(before);
    expect(await countRows(t, 'audit_log')).toBe(audits + 1); // the store closing only
  });

  test('edit role and store: away from clerk clears the store, to clerk needs one; a no-op writes nothing', async () => {
    const id = await staffId(t, 'clerk-a');
    const toService = await patch(id, { role: 'service' });
    expect(toService.body.staff).toMatchObject({ role: 'service', storeId: null, storeName: null });
    const noStore = await patch(id, { role: 'clerk' });
    expect([noStore.status, noStore.body.error.code]).toEqual([400, 'STAFF_STORE_RULE']);
    const back = await patch(id, { role: 'clerk', storeId: stores.storeB });
    expect(back.body.staff).toMatchObject({ role: 'clerk', storeId: stores.storeB, storeCode: 'B' });
    const audits = await countRows(t, 'audit_log');
    const version = (await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { id } })).sessionVersion;
    expect((await patch(id, { role: 'clerk', storeId: stores.storeB })).status).toBe(200);
    expect((await patch(id, { disabled: false })).status).toBe(200);
    expect(await countRows(t, 'audit_log')).toBe(audits);
    expect((await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { id } })).sessionVersion).toBe(version);
    const rename = await patch(id, { displayName: '  李\u202E四\u0007 ' });
    expect(rename.body.staff.displayName).toBe('李四');
    // A name is not access: the clerk's session goes on.
    expect((await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { id } })).sessionVersion).toBe(version);
    const actions = (await auditRows(t)).map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['staff.rename', 'staff.role', 'staff.role']);
    for (const bad of [{}, { role: 'boss' }, { storeId: 'A' }, { disabled: 'yes' }, { username: 'renamed' }]) {
      const res = await patch(id, bad);
      expect([bad, res.status, res.body.error.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    expect((await patch(999_999, { disabled: true })).status).toBe(404);
  });

  test('an admin cannot disable, demote or reset themself; two admins disabling each other at once leave one', async () => {
    const adminId = await staffId(t, 'admin');
    for (const body of [{ disabled: true }, { role: 'marketing' }]) {
      const res = await patch(adminId, body);
      expect([res.status, res.body.error.code]).toEqual([409, 'SELF_LOCKOUT']);
    }
    const reset = await t.request('POST', `${API}/admin/staff/${adminId}/password`, { token: admin });
    expect([reset.status, reset.body.error.code]).toEqual([409, 'SELF_LOCKOUT']);
    expect((await patch(adminId, { displayName: '系统管理员' })).body.staff.displayName).toBe('系统管理员');

    const second = await create({ username: 'admin2', role: 'admin' });
    const admin2 = (await t.request('POST', `${API}/auth/staff`, { body: { username: 'admin2', password: second.body.password } })).body.token;
    const results = await Promise.all([patch(second.body.staff.id, { disabled: true }, admin), patch(adminId, { disabled: true }, admin2)]);
    const statuses = results.map((r) => `${r.status} ${r.body.error?.code ?? ''}`.trim()).sort();
    expect(statuses.filter((s) => s === '200')).toHaveLength(1);
    expect(statuses.filter((s) => s !== '200')[0]).toMatch(/^(401 SESSION_REVOKED|409 LAST_ADMIN)$/);
    const enabledAdmins = await t.ds.getRepository(StaffEntity).count({ where: { role: 'admin', disabled: false } });
    expect(enabledAdmins).toBe(1);
  });

  test('member, clerk, marketing and service tokens cannot manage staff (403) and write nothing', async () => {
    const id = await staffId(t, 'clerk-b');
    const before = await countRows(t, 'audit_log');
    const tokens = [(await loginMember(t, 'm')).token, await staffToken(t, 'clerk-a'), await staffToken(t, 'marketing'), await staffToken(t, 'service')];
    for (const token of tokens) {
      expect((await create({ username: 'sneaky', role: 'admin' }, token)).status).toBe(403);
      expect((await patch(id, { disabled: true }, token)).status).toBe(403);
      expect((await t.request('POST', `${API}/admin/staff/${id}/password`, { token })).status).toBe(403);
    }
    expect(await countRows(t, 'audit_log')).toBe(before);
    expect((await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { id } })).disabled).toBe(false);
  });
});

describe('stores (admin)', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
  });
  afterEach(() => t.close());

  test('create, rename, close and reopen, each audited with before and after; codes are unique', async () => {
    const created = await t.request('POST', `${API}/admin/stores`, { token: admin, body: { code: 'bj-01', name: '望京\u202E店' } });
    expect(created.status).toBe(201);
    expect(created.body.store).toMatchObject({ code: 'BJ-01', name: '望京店', closed: false, closedAt: null });
    const id = created.body.store.id;
    const taken = await t.request('POST', `${API}/admin/stores`, { token: admin, body: { code: 'BJ-01', name: '另一家' } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'STORE_CODE_TAKEN']);
    for (const bad of [{ code: '', name: 'x' }, { code: 'A B', name: 'x' }, { code: 'C' }, { code: 'C', name: '\u0007\u202E' }, { code: 'C', name: 'x'.repeat(51) }]) {
      expect((await t.request('POST', `${API}/admin/stores`, { token: admin, body: bad })).status).toBe(400);
    }
    const renamed = await t.request('PATCH', `${API}/admin/stores/${id}`, { token: admin, body: { name: '望京 SOHO 店' } });
    expect(renamed.body.store).toMatchObject({ name: '望京 SOHO 店', closed: false });
    const closed = await t.request('PATCH', `${API}/admin/stores/${id}`, { token: admin, body: { closed: true } });
    expect(closed.body.store).toMatchObject({ closed: true, closedAt: '2026-06-15T04:00:00.000Z' });
    const reopened = await t.request('PATCH', `${API}/admin/stores/${id}`, { token: admin, body: { closed: false } });
    expect(reopened.body.store).toMatchObject({ closed: false, closedAt: null });
    expect((await t.request('PATCH', `${API}/admin/stores/${id}`, { token: admin, body: {} })).status).toBe(400);
    expect((await t.request('PATCH', `${API}/admin/stores/999999`, { token: admin, body: { closed: true } })).status).toBe(404);

    const entries = (await auditRows(t)).filter((e) => e.target?.type === 'store');
    expect(entries.map((e) => e.action)).toEqual(['store.reopen', 'store.close', 'store.rename', 'store.create']);
    expect(entries[2]).toMatchObject({ before: { code: 'BJ-01', name: '望京店', closedAt: null }, after: { code: 'BJ-01', name: '望京 SOHO 店', closedAt: null } });
    expect(entries[1]).toMatchObject({ before: { closedAt: null }, after: { closedAt: '2026-06-15T04:00:00.000Z' } });

    const list = await t.request('GET', `${API}/admin/stores`, { token: await staffToken(t, 'marketing') });
    expect(list.body.stores.map((s: any) => [s.code, s.closed])).toEqual([
      ['A', false],
      ['B', false],
      ['BJ-01', false],
    ]);
  });

  test("a closed store's clerk cannot post a purchase (403 STORE_CLOSED, nothing written) but can refund; reopening restores it", async () => {
    const bob = await loginMember(t, 'bob');
    const clerk = await staffToken(t, 'clerk-a');
    await postPurchase(t, clerk, bob, 'A-1', 10_000);
    expect((await t.request('PATCH', `${API}/admin/stores/${stores.storeA}`, { token: admin, body: { closed: true } })).status).toBe(200);
    t.clock.advance(30_000);
    const memberCode = (await t.request('GET', `${API}/me/code`, { token: bob.token })).body.code;
    const before = await snapshotCounts(t);
    const refused = await t.request('POST', `${API}/till/purchases`, { token: clerk, body: { memberCode, orderNo: 'A-2', amountFen: 10_000 } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'STORE_CLOSED']);
    expect(await snapshotCounts(t)).toEqual(before);
    // Winding down: a return of an earlier order still reverses its points.
    const refund = await t.request('POST', `${API}/till/purchases/A-1/refunds`, { token: clerk, body: { amountFen: 10_000 }, headers: { 'Idempotency-Key': 'refund-closed-1' } });
    expect(refund.status).toBe(201);
    // Clerk-b's store B is open.
    await postPurchase(t, await staffToken(t, 'clerk-b'), bob, 'B-1', 10_000);
    await t.request('PATCH', `${API}/admin/stores/${stores.storeA}`, { token: admin, body: { closed: false } });
    const again = await t.request('POST', `${API}/till/purchases`, { token: clerk, body: { memberCode, orderNo: 'A-2', amountFen: 10_000 } });
    expect(again.status).toBe(201);
    expect(await t.verify()).toEqual([]);
  });

  test('only admin writes stores; marketing and service still read the list', async () => {
    for (const user of ['clerk-a', 'marketing', 'service']) {
      const token = await staffToken(t, user);
      expect((await t.request('POST', `${API}/admin/stores`, { token, body: { code: 'Z', name: 'z' } })).status).toBe(403);
      expect((await t.request('PATCH', `${API}/admin/stores/${stores.storeA}`, { token, body: { closed: true } })).status).toBe(403);
    }
    expect((await t.request('GET', `${API}/admin/stores`, { token: await staffToken(t, 'service') })).status).toBe(200);
    expect(await countRows(t, 'store')).toBe(2);
  });
});
