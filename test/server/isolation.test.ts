import { startTestApp, loginMember, grantPoints, addReward, snapshotCounts, addStoresAndStaff, TEST_PASSWORD, type TestApp } from './helpers';

/**
 * Member isolation: everything under /me is scoped by the token's member id. A never sees, cancels or
 * spends anything of B's; a foreign id answers 404 (not 403, which would confirm that it exists).
 * Responses never carry openid, session_key or password fields.
 */
jest.setTimeout(30_000);

const FORBIDDEN_KEYS = ['openid', 'session_key', 'sessionKey', 'password', 'passwordHash', 'password_hash', 'unionid'];

/** Every key anywhere in a JSON value (nested objects and arrays). */
function allKeys(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) allKeys(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      allKeys(x, out);
    }
  }
  return out;
}

describe('member isolation', () => {
  let t: TestApp;
  let seen: { path: string; body: unknown }[];
  let a: { token: string; id: number };
  let b: { token: string; id: number };
  let rewardId: number;
  let bRedemptions: { id: number; pickupCode: string }[];

  /** Records every response so the final test can scan them all for secret keys. */
  async function call(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) {
    const res = await t.request(method, path, { token, body, headers });
    seen.push({ path: `${method} ${path}`, body: res.body });
    return res;
  }

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    seen = [];
    // Distinctive names so a plain text search of A's responses for B's is meaningful.
    a = await loginMember(t, 'alphaAmberMember');
    b = await loginMember(t, 'bravoBlueMember');
    await grantPoints(t, a.id, 1000);
    await grantPoints(t, b.id, 1000);
    rewardId = (await addReward(t, { pointsPrice: 100, stock: 50, title: '电影票' })).id;
    bRedemptions = [];
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', '/api/v1/me/redemptions', b.token, { rewardId, quantity: 1 }, { 'Idempotency-Key': `b-redeem-${i}` });
      expect(r.status).toBe(201);
      bRedemptions.push({ id: r.body.redemption.id, pickupCode: r.body.redemption.pickupCode });
    }
    expect((await call('POST', '/api/v1/me/checkins', b.token)).status).toBe(201);
    const ra = await call('POST', '/api/v1/me/redemptions', a.token, { rewardId, quantity: 2 }, { 'Idempotency-Key': 'a-redeem-0' });
    expect(ra.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
  });

  test("A cannot cancel B's redemption: 404 NOT_FOUND (not 403), nothing changes for either", async () => {
    for (const r of bRedemptions) {
      const before = await snapshotCounts(t);
      const res = await call('POST', `/api/v1/me/redemptions/${r.id}/cancel`, a.token);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      // Exactly the answer for an id that does not exist at all.
      const missing = await call('POST', '/api/v1/me/redemptions/2147483647/cancel', a.token);
      expect(res.body).toEqual(missing.body);
      expect(await snapshotCounts(t)).toEqual(before);
    }
    const bList = await call('GET', '/api/v1/me/redemptions', b.token);
    expect(bList.body.redemptions.map((r: any) => r.status)).toEqual(['AWAITING_PICKUP', 'AWAITING_PICKUP', 'AWAITING_PICKUP']);
    const bMe = await call('GET', '/api/v1/me', b.token);
    expect(bMe.body.balance).toBe(1000 - 300 + 1);
    const aMe = await call('GET', '/api/v1/me', a.token);
    expect(aMe.body.balance).toBe(800);
  });

  test("A's /me, /me/redemptions, /me/ledger, /rewards never contain B's ids, pickup codes, openid or nickname", async () => {
    const bLedger = await call('GET', '/api/v1/me/ledger?limit=100', b.token);
    const bEntryIds = new Set<number>(bLedger.body.entries.map((e: any) => e.id));
    expect(bEntryIds.size).toBe(5); // grant, 3 redemptions, check-in
    const bMe = await call('GET', '/api/v1/me', b.token);
    expect(bMe.body.member.nickname).toBe('bravoBlueMember');

    const aMe = await call('GET', '/api/v1/me', a.token);
    const aRed = await call('GET', '/api/v1/me/redemptions', a.token);
    const aLedger = await call('GET', '/api/v1/me/ledger?limit=100', a.token);
    const aShelf = await call('GET', '/api/v1/rewards', a.token);
    expect(aMe.body.member).toEqual({ id: a.id, nickname: 'alphaAmberMember', birthday: null, phone: null });
    expect(aRed.body.redemptions).toHaveLength(1);
    expect(aLedger.body.entries.map((e: any) => e.code)).toEqual(['REDEEM', 'ADJUST']);
    expect(aShelf.body.rewards[0].eligibility.redeemedByMe).toBe(2); // only A's own redemptions count

    for (const res of [aMe, aRed, aLedger, aShelf]) {
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/bravo/i);
      expect(text).not.toContain('dev_');
      for (const r of bRedemptions) expect(text).not.toContain(r.pickupCode);
    }
    for (const r of aRed.body.redemptions) expect(bRedemptions.map((x) => x.id)).not.toContain(r.id);
    for (const e of aLedger.body.entries) expect(bEntryIds.has(e.id)).toBe(false);
    expect(aLedger.body.entries.map((e: any) => e.refId)).not.toEqual(expect.arrayContaining(bRedemptions.map((r) => r.pickupCode)));
  });

  test("a ledger cursor taken from B's ids still pages only A's own entries", async () => {
    const bLedger = await call('GET', '/api/v1/me/ledger?limit=100', b.token);
    const bTop = Math.max(...bLedger.body.entries.map((e: any) => e.id));
    const aIds = new Set((await call('GET', '/api/v1/me/ledger?limit=100', a.token)).body.entries.map((e: any) => e.id));
    const page = await call('GET', `/api/v1/me/ledger?limit=100&cursor=${bTop + 1}`, a.token);
    expect(page.status).toBe(200);
    for (const e of page.body.entries) expect(aIds.has(e.id)).toBe(true);
  });

  test("one member's token never acts for another", async () => {
    // Each token resolves to its own member.
    expect((await call('GET', '/api/v1/me', a.token)).body.member.id).toBe(a.id);
    expect((await call('GET', '/api/v1/me', b.token)).body.member.id).toBe(b.id);
    // A redeem with A's token debits A only, even when it reuses B's idempotency key (keys are per member).
    const bBefore = (await call('GET', '/api/v1/me', b.token)).body.balance;
    const r = await call('POST', '/api/v1/me/redemptions', a.token, { rewardId, quantity: 1 }, { 'Idempotency-Key': 'b-redeem-0' });
    expect(r.status).toBe(201);
    expect(bRedemptions.map((x) => x.id)).not.toContain(r.body.redemption.id);
    expect(r.body.balance).toBe(700);
    expect((await call('GET', '/api/v1/me', b.token)).body.balance).toBe(bBefore);
    // Body fields cannot redirect the action to someone else (schemas are strict).
    const sneaky = await call('POST', '/api/v1/me/redemptions', a.token, { rewardId, quantity: 1, memberId: b.id }, { 'Idempotency-Key': 'a-sneaky-1' });
    expect(sneaky.status).toBe(400);
    // A's own check-in does not check B in (B already did; A still can).
    const ci = await call('POST', '/api/v1/me/checkins', a.token);
    expect(ci.status).toBe(201);
    expect((await call('GET', '/api/v1/me', b.token)).body.balance).toBe(bBefore);
    // B can still cancel B's own redemption: A's attempts did not disturb it.
    const own = await call('POST', `/api/v1/me/redemptions/${bRedemptions[0]!.id}/cancel`, b.token);
    expect(own.status).toBe(200);
    expect(await t.verify()).toEqual([]);
  });

  test('concurrent cross-member cancels: only the owner succeeds', async () => {
    const target = bRedemptions[1]!;
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => call('POST', `/api/v1/me/redemptions/${target.id}/cancel`, a.token)),
      call('POST', `/api/v1/me/redemptions/${target.id}/cancel`, b.token),
    ]);
    expect(results.slice(0, 5).map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(results[5]!.status).toBe(200);
    expect(await t.verify()).toEqual([]);
  });

  test('a member token never acts as staff: till and admin routes answer 403, nothing written', async () => {
    const before = await snapshotCounts(t);
    const attempts = [
      await call('POST', '/api/v1/till/purchases', a.token, { memberCode: 'x'.repeat(20), orderNo: 'A-1', amountFen: 100 }),
      await call('POST', `/api/v1/till/redemptions/${bRedemptions[2]!.pickupCode}/fulfil`, a.token),
      await call('POST', `/api/v1/till/redemptions/${bRedemptions[2]!.pickupCode}/fulfil`, b.token),
      await call('GET', '/api/v1/admin/campaigns', a.token),
    ];
    for (const res of attempts) expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await snapshotCounts(t)).toEqual(before);
    const bList = await call('GET', '/api/v1/me/redemptions', b.token);
    expect(bList.body.redemptions.find((r: any) => r.id === bRedemptions[2]!.id).status).toBe('AWAITING_PICKUP');
  });

  test('staff login and the member code carry no secrets either', async () => {
    await addStoresAndStaff(t);
    const staff = await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-a', password: TEST_PASSWORD } });
    expect(staff.status).toBe(200);
    seen.push({ path: 'POST /auth/staff', body: staff.body });
    expect(JSON.stringify(staff.body)).not.toContain(TEST_PASSWORD);
    const code = await call('GET', '/api/v1/me/code', a.token);
    expect(code.status).toBe(200);
  });

  test('login returns only the profile: no openid, session_key or password in any response so far', async () => {
    const login = await t.request('POST', '/api/v1/auth/wechat', { body: { code: 'dev:alphaAmberMember' } });
    seen.push({ path: 'POST /auth/wechat', body: login.body });
    expect(Object.keys(login.body).sort()).toEqual(['member', 'token']);
    expect(Object.keys(login.body.member).sort()).toEqual(['birthday', 'id', 'nickname']);
    // The token carries no openid either.
    const payload = JSON.parse(Buffer.from(login.body.token.split('.')[1], 'base64url').toString());
    expect(JSON.stringify(payload)).not.toContain('dev_');
    expect(seen.length).toBeGreaterThan(20);
    for (const s of seen) {
      const keys = allKeys(s.body);
      for (const k of FORBIDDEN_KEYS) expect({ path: s.path, has: keys.has(k) }).toEqual({ path: s.path, has: false });
      expect(JSON.stringify(s.body)).not.toMatch(/session_key|password/i);
    }
  });
});
