import { addStoresAndStaff, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** GET /admin/members?q and the member page (issue 9 item 3), with the phone masked for every role but admin. */
describe('member search and member page', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let alice: { token: string; id: number };
  let bob: { token: string; id: number };

  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
    for (const role of ['service', 'marketing', 'admin', 'clerk-a']) tokens[role] = await staffToken(t, role);
    alice = await loginMember(t, 'alice_search');
    bob = await loginMember(t, 'bob_search');
    await t.ds.query('UPDATE member SET nickname = ? WHERE id = ?', ['张小花', alice.id]);
    await t.ds.query('UPDATE member SET nickname = ? WHERE id = ?', ['张三丰', bob.id]);
    expect((await t.request('POST', '/api/v1/me/phone', { token: alice.token, body: { code: 'dev:13800138000' } })).status).toBe(200);
    await grantPoints(t, alice.id, 500);
  });
  afterAll(() => t.close());

  const search = (role: string, q: string, extra = '') => t.request('GET', `/api/v1/admin/members?q=${encodeURIComponent(q)}${extra}`, { token: tokens[role] });

  test.each([
    ['phone', '13800138000'],
    ['phone with +86 and dashes', '+86 138-0013-8000'],
    ['member number', 'MEMBER_NO'],
    ['zero-padded member number', 'PADDED_NO'],
    ['openid', 'dev_alice_search'],
    ['nickname prefix', '张小'],
  ])('finds alice by %s', async (_what, raw) => {
    const q = raw === 'MEMBER_NO' ? String(alice.id) : raw === 'PADDED_NO' ? String(alice.id).padStart(6, '0') : raw;
    const res = await search('service', q);
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { id: number }) => m.id)).toContain(alice.id);
    const hit = res.body.members.find((m: { id: number }) => m.id === alice.id);
    expect(hit).toMatchObject({ nickname: '张小花', number: String(alice.id).padStart(6, '0'), balance: 500 });
  });

  test('phone and openid are whole for admin and masked for service and marketing; clerks may not search', async () => {
    const admin = await search('admin', '13800138000');
    expect(admin.body.members[0]).toMatchObject({ id: alice.id, phone: '13800138000', openid: 'dev_alice_search', match: 'phone' });
    for (const role of ['service', 'marketing']) {
      const res = await search(role, '13800138000');
      expect(res.body.members[0]).toMatchObject({ id: alice.id, phone: '138****8000', match: 'phone' });
      expect(res.body.members[0].openid).not.toContain('alice');
      expect(JSON.stringify(res.body)).not.toContain('13800138000');
      const page = await t.request('GET', `/api/v1/admin/members/${alice.id}`, { token: tokens[role] });
      expect(page.body.member.phone).toBe('138****8000');
      expect(JSON.stringify(page.body)).not.toContain('13800138000');
    }
    expect((await t.request('GET', `/api/v1/admin/members/${alice.id}`, { token: tokens.admin })).body.member.phone).toBe('13800138000');
    expect((await search('clerk-a', '13800138000')).status).toBe(403);
  });

  test('nickname prefix pages by cursor without repeats; a typed % or _ is literal; nothing matches a middle', async () => {
    const both = await search('service', '张');
    expect(both.body.members.map((m: { nickname: string }) => m.nickname)).toEqual(['张三丰', '张小花']);
    const p1 = await search('service', '张', '&limit=1');
    expect(p1.body.members).toHaveLength(1);
    expect(p1.body.nextCursor).toEqual(expect.any(Number));
    const p2 = await search('service', '张', `&limit=1&cursor=${p1.body.nextCursor}`);
    expect(p2.body.members).toHaveLength(1);
    expect(p2.body.nextCursor).toBeNull();
    expect([p1.body.members[0].id, p2.body.members[0].id].sort()).toEqual([alice.id, bob.id].sort());
    expect((await search('service', '%')).body.members).toEqual([]);
    expect((await search('service', '_')).body.members).toEqual([]);
    expect((await search('service', '小花')).body.members).toEqual([]); // prefix only, never '%x%'
  });

  test('no q lists the newest members first; bad queries are 400', async () => {
    const res = await t.request('GET', '/api/v1/admin/members?limit=1', { token: tokens.service });
    expect(res.body.members[0]).toMatchObject({ id: bob.id, match: 'recent' });
    expect((await t.request('GET', `/api/v1/admin/members?limit=1&cursor=${res.body.nextCursor}`, { token: tokens.service })).body.members[0].id).toBe(alice.id);
    expect((await t.request('GET', `/api/v1/admin/members?q=${'x'.repeat(65)}`, { token: tokens.service })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/admin/members?limit=500', { token: tokens.service })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/admin/members/999999', { token: tokens.service })).status).toBe(404);
  });

  test('the member page shows account, tier, lots with expiry, ledger (paged), redemptions and notices', async () => {
    await grantPoints(t, alice.id, 30);
    const res = await t.request('GET', `/api/v1/admin/members/${alice.id}`, { token: tokens.service });
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b.account).toEqual({ balance: 530, available: 530, pending: 0, debt: 0, worthFen: 530 });
    expect(b.tier).toMatchObject({ code: 'bronze', name: '青铜' });
    expect(b.lots.map((l: { remaining: number; state: string }) => [l.remaining, l.state])).toEqual([
      [500, 'active'],
      [30, 'active'],
    ]);
    expect(b.lots[0].expiresAt).toBe('2027-12-31T16:00:00.000Z'); // end of next year, Shanghai
    expect(b.ledger.entries.map((e: { delta: number; actor: string }) => [e.delta, e.actor])).toEqual([
      [30, 'test'],
      [500, 'test'],
    ]);
    expect(b.redemptions).toEqual([]);
    expect(b.notices).toEqual([]);
    expect(b.viewer).toEqual({ role: 'service', canAdjust: true, canAllowDebt: false });
    const page = await t.request('GET', `/api/v1/admin/members/${alice.id}/ledger?limit=1`, { token: tokens.marketing });
    expect(page.body.entries.map((e: { delta: number }) => e.delta)).toEqual([30]);
    const next = await t.request('GET', `/api/v1/admin/members/${alice.id}/ledger?limit=1&cursor=${page.body.nextCursor}`, { token: tokens.marketing });
    expect(next.body.entries.map((e: { delta: number }) => e.delta)).toEqual([500]);
    expect(next.body.nextCursor).toBeNull();
    expect((await t.request('GET', `/api/v1/admin/members/${alice.id}`, { token: tokens.marketing })).body.viewer.canAdjust).toBe(false);
  });
});
