import { staffToken, addStoresAndStaff, countRows, loginMember, snapshotCounts, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

/** Everything a till request could write, including the code-use and notification rows. */
async function allCounts(t: TestApp): Promise<Record<string, number>> {
  return { ...(await snapshotCounts(t)), member_code_use: await countRows(t, 'member_code_use'), notification: await countRows(t, 'notification') };
}

const STEP_MS = 30_000;

describe('rotating member code', () => {
  let t: TestApp;
  let clerk: string;
  let alice: { token: string; id: number };
  let bob: { token: string; id: number };
  let order = 0;

  // 10 s into a 30 s step (04:00:00Z is a step boundary).
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:10Z' });
    await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
    alice = await loginMember(t, 'alice');
    bob = await loginMember(t, 'bob');
  });
  afterEach(() => t.close());

  const getCode = async (token: string) => {
    const res = await t.request('GET', '/api/v1/me/code', { token });
    expect(res.status).toBe(200);
    return res.body as { code: string; expiresAt: string; refreshSeconds: number };
  };
  const buy = (memberCode: string, amountFen = 1000) =>
    t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode, orderNo: `MC-${++order}`, amountFen } });
  /** Asserts a refusal with its code, and that nothing at all was written. */
  const refused = async (memberCode: string, status: number, code: string) => {
    const before = await allCounts(t);
    const res = await buy(memberCode);
    expect([memberCode, res.status, res.body.error?.code]).toEqual([memberCode, status, code]);
    expect(await allCounts(t)).toEqual(before);
  };

  test('GET /me/code returns the code, the end of its step and the refresh period; not cached; members only', async () => {
    const res = await t.request('GET', '/api/v1/me/code', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: expect.stringMatching(/^[0-9A-Z]{1,7}-[0-9A-Z]{16}$/), expiresAt: '2026-06-15T04:00:30.000Z', refreshSeconds: 30 });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await t.request('GET', '/api/v1/me/code')).status).toBe(401);
    const asStaff = await t.request('GET', '/api/v1/me/code', { token: clerk });
    expect(asStaff.status).toBe(403);
    expect(asStaff.body.error.code).toBe('FORBIDDEN');
  });

  test('the code changes with every 30 s step and differs between members', async () => {
    const first = await getCode(alice.token);
    t.clock.advance(19_999); // 04:00:29.999, same step: a fresh code (new nonce) with the same expiry
    const again = await getCode(alice.token);
    expect(again.expiresAt).toBe(first.expiresAt);
    expect(again.code).not.toBe(first.code);
    t.clock.advance(1); // 04:00:30, next step
    const second = await getCode(alice.token);
    expect(second.code).not.toBe(first.code);
    expect(second.expiresAt).toBe('2026-06-15T04:01:00.000Z');
    t.clock.advance(STEP_MS);
    const third = await getCode(alice.token);
    expect(new Set([first.code, second.code, third.code]).size).toBe(3);
    expect((await getCode(bob.token)).code).not.toBe(third.code);
  });

  test('a code from the previous step is still accepted at the till', async () => {
    const { code } = await getCode(alice.token);
    t.clock.advance(STEP_MS + 19_000); // 04:00:59, the next step, last second
    const res = await buy(code);
    expect(res.status).toBe(201);
    expect(res.body.memberId).toBe(alice.id);
  });

  test('a code from two steps ago is 400 CODE_INVALID and writes nothing', async () => {
    const { code } = await getCode(alice.token);
    t.clock.set('2026-06-15T04:01:00Z'); // two steps after the code's step
    await refused(code, 400, 'CODE_INVALID');
  });

  test('a code from the next step is accepted (phone clock ahead), two steps ahead is not', async () => {
    t.clock.advance(STEP_MS);
    const next = (await getCode(alice.token)).code;
    t.clock.advance(STEP_MS);
    const twoAhead = (await getCode(alice.token)).code;
    t.clock.advance(-2 * STEP_MS);
    await refused(twoAhead, 400, 'CODE_INVALID');
    expect((await buy(next)).status).toBe(201);
  });

  test('forged codes are 400 CODE_INVALID and write nothing', async () => {
    const { code } = await getCode(alice.token);
    const [id, mac] = code.split('-') as [string, string];
    const flip = (ch: string) => (ch === 'A' ? 'B' : 'A');
    // One character changed, in the mac or in the member id.
    await refused(`${id}-${flip(mac[0]!)}${mac.slice(1)}`, 400, 'CODE_INVALID');
    await refused(`${id}-${mac.slice(0, -1)}${flip(mac.slice(-1))}`, 400, 'CODE_INVALID');
    // Bob's id with Alice's (valid-looking) mac.
    await refused(`${bob.id.toString(36).toUpperCase()}-${mac}`, 400, 'CODE_INVALID');
    // Malformed: no separator, a short mac, an id only.
    await refused(`${id}${mac}`, 400, 'CODE_INVALID');
    await refused(`${id}-${mac.slice(0, 11)}`, 400, 'CODE_INVALID');
    await refused(id.padEnd(3, '0'), 400, 'CODE_INVALID');
    // Not even the schema's shape: 400 VALIDATION_FAILED.
    await refused(`${id}-${mac} `, 400, 'VALIDATION_FAILED');
  });

  test('single use: after a purchase the same code is 409 CODE_USED, in any spelling and at any store; nothing written', async () => {
    const { code } = await getCode(alice.token);
    const first = await buy(code, 12800);
    expect(first.status).toBe(201);
    await refused(code, 409, 'CODE_USED');
    await refused(code.toLowerCase(), 409, 'CODE_USED');
    // The same member id spelled with a leading zero is not a new code.
    await refused(`0${code}`, 400, 'CODE_INVALID');
    const clerkB = await staffToken(t, 'clerk-b');
    const before = await allCounts(t);
    const atB = await t.request('POST', '/api/v1/till/purchases', { token: clerkB, body: { memberCode: code, orderNo: 'B-1', amountFen: 1000 } });
    expect(atB.status).toBe(409);
    expect(atB.body.error.code).toBe('CODE_USED');
    expect(await allCounts(t)).toEqual(before);
    // The code of the next step works.
    t.clock.advance(STEP_MS);
    const fresh = await getCode(alice.token);
    expect((await buy(fresh.code)).status).toBe(201);
    expect(await t.verify()).toEqual([]);
  });

  test('a refused purchase (bad amount) does not use up the code', async () => {
    const { code } = await getCode(alice.token);
    const before = await allCounts(t);
    const bad = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'MC-bad', amountFen: 0 } });
    expect(bad.status).toBe(400);
    expect(await allCounts(t)).toEqual(before);
    expect((await buy(code)).status).toBe(201);
  });

  test('the same code used at once for two different orders: exactly one purchase', async () => {
    const { code } = await getCode(alice.token);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: `RACE-${i}`, amountFen: 1000 } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('CODE_USED'));
    expect(await countRows(t, 'purchase')).toBe(1);
    expect(await countRows(t, 'member_code_use')).toBe(1);
    expect(await t.verify()).toEqual([]);
  }, 30_000);
});

describe('after a purchase the member can show a new code at once', () => {
  test('a second purchase in the same 30 s step works with a freshly fetched code', async () => {
    const t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    try {
      await addStoresAndStaff(t);
      const alice = await loginMember(t, 'alice');
      const clerkRes = await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-a', password: TEST_PASSWORD } });
      const clerk = clerkRes.body.token;
      const c1 = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
      const p1 = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: c1, orderNo: 'S-1', amountFen: 1000 } });
      expect(p1.status).toBe(201);
      const c2 = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
      expect(c2).not.toBe(c1);
      const p2 = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: c2, orderNo: 'S-2', amountFen: 1000 } });
      expect(p2.status).toBe(201);
      expect(p2.body.balance).toBe(20);
    } finally {
      await t.close();
    }
  });
});
