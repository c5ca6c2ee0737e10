import { startTestApp, loginMember, grantPoints, addReward, snapshotCounts, countRows, addStoresAndStaff, TEST_PASSWORD, type TestApp } from './helpers';

/**
 * Concurrent requests over real HTTP against the real app, on SQLite (serialized transactions) and on
 * MariaDB (row locks). Every scenario ends with verify() clean: balance = entries = lots for everyone.
 * Assertions are on outcomes only (counts, balances, stock), never on timing or order.
 */
jest.setTimeout(60_000);

type Res = { status: number; body: any; headers: Headers };

function redeem(t: TestApp, token: string, rewardId: number, key: string, quantity = 1): Promise<Res> {
  return t.request('POST', '/api/v1/me/redemptions', { token, body: { rewardId, quantity }, headers: { 'Idempotency-Key': key } });
}

/** Status (and error code) histogram: {"201": 37, "409 INSUFFICIENT_POINTS": 163}. */
function histogram(results: Res[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const r of results) {
    const k = r.status >= 400 ? `${r.status} ${r.body?.error?.code}` : String(r.status);
    h[k] = (h[k] ?? 0) + 1;
  }
  return h;
}

async function scalar(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await t.ds.query(sql, params);
  return Number(Object.values(rows[0] as Record<string, unknown>)[0] ?? 0);
}

const balanceOf = (t: TestApp, memberId: number) => scalar(t, 'SELECT balance FROM member_account WHERE member_id = ?', [memberId]);
const stockOf = (t: TestApp, rewardId: number) => scalar(t, 'SELECT stock FROM reward WHERE id = ?', [rewardId]);
const entriesOf = (t: TestApp, memberId: number, code: string) =>
  scalar(t, 'SELECT COUNT(*) AS n FROM ledger_entry WHERE member_id = ? AND code = ?', [memberId, code]);

describe('concurrency over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
  });
  afterEach(async () => {
    await t.close();
  });

  test('points bind: 200 concurrent redemptions, 37 affordable -> exactly 37 succeed, balance = the remainder', async () => {
    const price = 30;
    const a = await loginMember(t, 'racer');
    // Two lots, so the debits also race across a lot boundary.
    await grantPoints(t, a.id, 20 * price);
    await grantPoints(t, a.id, 17 * price + 7, { expiresAt: Date.parse('2026-12-31T16:00:00Z') });
    const reward = await addReward(t, { pointsPrice: price, stock: 250, title: '奶茶' });

    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => redeem(t, a.token, reward.id, `race-points-${i}`)));

    expect(histogram(results)).toEqual({ '201': 37, '409 INSUFFICIENT_POINTS': 163 });
    const ok = results.filter((r) => r.status === 201);
    // Every success reports a distinct redemption and pickup code, and the balances it saw are all distinct.
    expect(new Set(ok.map((r) => r.body.redemption.id)).size).toBe(37);
    expect(new Set(ok.map((r) => r.body.redemption.pickupCode)).size).toBe(37);
    expect(new Set(ok.map((r) => r.body.balance)).size).toBe(37);
    expect(Math.min(...ok.map((r) => r.body.balance))).toBe(7);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body).toEqual({ error: expect.objectContaining({ code: 'INSUFFICIENT_POINTS', message: expect.any(String), messageEn: expect.any(String) }) });
    }
    expect(await balanceOf(t, a.id)).toBe(7);
    expect(await stockOf(t, reward.id)).toBe(250 - 37);
    expect(await entriesOf(t, a.id, 'REDEEM')).toBe(37);
    expect(await countRows(t, 'redemption')).toBe(37);
    expect(await countRows(t, 'idempotency_record')).toBe(37);
    const me = await t.request('GET', '/api/v1/me', { token: a.token });
    expect(me.body).toMatchObject({ balance: 7, available: 7 });
    expect(await t.verify()).toEqual([]);
  });

  test('stock binds: 6 members race for stock 10 -> exactly 10 succeed, stock 0, never negative', async () => {
    const price = 10;
    const reward = await addReward(t, { pointsPrice: price, stock: 10, title: '限量徽章' });
    const members = [];
    for (let i = 0; i < 6; i++) {
      const m = await loginMember(t, `stock${i}`);
      await grantPoints(t, m.id, 100 * price); // everyone can afford far more than the stock
      members.push(m);
    }
    const jobs = members.flatMap((m, mi) => Array.from({ length: 8 }, (_, j) => ({ m, key: `race-stock-${mi}-${j}` })));
    const results = await Promise.all(jobs.map((j) => redeem(t, j.m.token, reward.id, j.key)));

    expect(histogram(results)).toEqual({ '201': 10, '409 OUT_OF_STOCK': 38 });
    expect(await stockOf(t, reward.id)).toBe(0);
    expect(await countRows(t, 'redemption')).toBe(10);
    // Each member paid exactly for what they got.
    for (const m of members) {
      const mine = results.filter((r, i) => r.status === 201 && jobs[i]!.m.id === m.id).length;
      expect(await balanceOf(t, m.id)).toBe(1000 - mine * price);
      expect(await entriesOf(t, m.id, 'REDEEM')).toBe(mine);
    }
    const shelf = await t.request('GET', '/api/v1/rewards', { token: members[0]!.token });
    expect(shelf.body.rewards[0]).toMatchObject({ stock: 0, eligibility: { canRedeem: false, reason: 'OUT_OF_STOCK' } });
    expect(await t.verify()).toEqual([]);
  });

  test('stock binds with quantity 3: stock 10 serves exactly three, 1 left, never negative', async () => {
    const reward = await addReward(t, { pointsPrice: 5, stock: 10 });
    const members = [];
    for (let i = 0; i < 4; i++) {
      const m = await loginMember(t, `qty${i}`);
      await grantPoints(t, m.id, 1000);
      members.push(m);
    }
    const results = await Promise.all(members.flatMap((m, mi) => [0, 1, 2].map((j) => redeem(t, m.token, reward.id, `race-qty-${mi}-${j}`, 3))));
    expect(histogram(results)).toEqual({ '201': 3, '409 OUT_OF_STOCK': 9 });
    expect(await stockOf(t, reward.id)).toBe(1);
    expect(await scalar(t, 'SELECT COALESCE(SUM(quantity), 0) AS n FROM redemption')).toBe(9);
    expect(await t.verify()).toEqual([]);
  });

  test('one Idempotency-Key sent 50 times at once: one redemption, 50 identical 201 responses', async () => {
    const a = await loginMember(t, 'retrier');
    await grantPoints(t, a.id, 1000);
    const reward = await addReward(t, { pointsPrice: 100, stock: 100 });

    const results = await Promise.all(Array.from({ length: 50 }, () => redeem(t, a.token, reward.id, 'same-key-0001')));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(results[0]!.body).toMatchObject({ balance: 900, redemption: { quantity: 1, points: 100, status: 'AWAITING_PICKUP' } });
    // Exactly one response did the work; the other 49 were replays of the stored first response.
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    expect(await entriesOf(t, a.id, 'REDEEM')).toBe(1);
    expect(await countRows(t, 'redemption')).toBe(1);
    expect(await countRows(t, 'idempotency_record')).toBe(1);
    expect(await balanceOf(t, a.id)).toBe(900);
    expect(await stockOf(t, reward.id)).toBe(99);

    // The same key with a different body is a conflict, and writes nothing.
    const before = await snapshotCounts(t);
    const mismatch = await redeem(t, a.token, reward.id, 'same-key-0001', 2);
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    // ... also when many such conflicting retries arrive at once.
    const mismatches = await Promise.all(Array.from({ length: 10 }, () => redeem(t, a.token, reward.id, 'same-key-0001', 2)));
    expect(histogram(mismatches)).toEqual({ '409 IDEMPOTENCY_MISMATCH': 10 });
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await balanceOf(t, a.id)).toBe(900);
    expect(await stockOf(t, reward.id)).toBe(99);
    // A replay later still returns the first response.
    const later = await redeem(t, a.token, reward.id, 'same-key-0001');
    expect(later.status).toBe(201);
    expect(later.body).toEqual(results[0]!.body);
    expect(await t.verify()).toEqual([]);
  });

  test('one key, two different bodies at once: one body wins, every request of the other is IDEMPOTENCY_MISMATCH', async () => {
    const a = await loginMember(t, 'torn');
    await grantPoints(t, a.id, 1000);
    const reward = await addReward(t, { pointsPrice: 100, stock: 100 });
    const quantities = Array.from({ length: 20 }, (_, i) => (i % 2) + 1);
    const results = await Promise.all(quantities.map((q) => redeem(t, a.token, reward.id, 'torn-key-0001', q)));
    const winner = results.find((r) => r.status === 201)!.body.redemption.quantity as number;
    results.forEach((r, i) => {
      if (quantities[i] === winner) {
        expect(r.status).toBe(201);
        expect(r.body).toEqual(results.find((x) => x.status === 201)!.body);
      } else {
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
      }
    });
    expect(await countRows(t, 'redemption')).toBe(1);
    expect(await balanceOf(t, a.id)).toBe(1000 - 100 * winner);
    expect(await stockOf(t, reward.id)).toBe(100 - winner);
    expect(await t.verify()).toEqual([]);
  });

  test('per-member limit holds under concurrency: limit 2, 10 at once -> 2 succeed, 8 LIMIT_REACHED', async () => {
    const a = await loginMember(t, 'greedy');
    await grantPoints(t, a.id, 1000);
    const reward = await addReward(t, { pointsPrice: 10, stock: 100, perMemberLimit: 2 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => redeem(t, a.token, reward.id, `greedy-key-${i}`)));
    expect(histogram(results)).toEqual({ '201': 2, '409 LIMIT_REACHED': 8 });
    expect(await balanceOf(t, a.id)).toBe(980);
    expect(await stockOf(t, reward.id)).toBe(98);
    expect(await t.verify()).toEqual([]);
  });

  test('20 concurrent first logins of one WeChat user create exactly one member and account', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => t.request('POST', '/api/v1/auth/wechat', { body: { code: 'dev:newcomer' } })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.member.id)).size).toBe(1);
    expect(await countRows(t, 'member')).toBe(1);
    expect(await countRows(t, 'member_account')).toBe(1);
    const me = await t.request('GET', '/api/v1/me', { token: results[7]!.body.token });
    expect(me.body).toMatchObject({ balance: 0, member: { id: results[0]!.body.member.id } });
  });

  test('a key is scoped to its member: two members may use the same key string', async () => {
    const a = await loginMember(t, 'scope-a');
    const b = await loginMember(t, 'scope-b');
    await grantPoints(t, a.id, 100);
    await grantPoints(t, b.id, 100);
    const reward = await addReward(t, { pointsPrice: 10, stock: 100 });
    const results = await Promise.all([a, b, a, b].map((m) => redeem(t, m.token, reward.id, 'shared-key-1')));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(results[0]!.body).toEqual(results[2]!.body);
    expect(results[1]!.body).toEqual(results[3]!.body);
    expect(results[0]!.body.redemption.id).not.toBe(results[1]!.body.redemption.id);
    expect(await balanceOf(t, a.id)).toBe(90);
    expect(await balanceOf(t, b.id)).toBe(90);
    expect(await t.verify()).toEqual([]);
  });

  test('20 concurrent check-ins by one member: exactly one 201, 19 ALREADY_CHECKED_IN', async () => {
    const a = await loginMember(t, 'eager');
    const results = await Promise.all(Array.from({ length: 20 }, () => t.request('POST', '/api/v1/me/checkins', { token: a.token })));
    expect(histogram(results)).toEqual({ '201': 1, '409 ALREADY_CHECKED_IN': 19 });
    expect(results.find((r) => r.status === 201)!.body).toMatchObject({ points: 1, streak: 1, balance: 1 });
    expect(await countRows(t, 'checkin')).toBe(1);
    expect(await entriesOf(t, a.id, 'EARN_CHECKIN')).toBe(1);
    expect(await balanceOf(t, a.id)).toBe(1);
    // Several members checking in at once do not block each other.
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await loginMember(t, `early${i}`));
    const many = await Promise.all(others.flatMap((m) => [m, m, m]).map((m) => t.request('POST', '/api/v1/me/checkins', { token: m.token })));
    expect(histogram(many)).toEqual({ '201': 5, '409 ALREADY_CHECKED_IN': 10 });
    expect(await countRows(t, 'checkin')).toBe(6);
    expect(await t.verify()).toEqual([]);
  });

  test('fulfil at the till racing the member cancelling: exactly one of the two wins for each redemption', async () => {
    await addStoresAndStaff(t);
    const login = await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-a', password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const clerk = login.body.token as string;
    const a = await loginMember(t, 'collector');
    await grantPoints(t, a.id, 1000);
    const reward = await addReward(t, { pointsPrice: 50, stock: 20 });
    const held: { id: number; pickupCode: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await redeem(t, a.token, reward.id, `collect-${i}`);
      held.push({ id: r.body.redemption.id, pickupCode: r.body.redemption.pickupCode });
    }
    const pairs = await Promise.all(
      held.map(async (h, i) => {
        const fulfil = () => t.request('POST', `/api/v1/till/redemptions/${h.pickupCode}/fulfil`, { token: clerk });
        const cancel = () => t.request('POST', `/api/v1/me/redemptions/${h.id}/cancel`, { token: a.token });
        const [f, c] = i % 2 ? await Promise.all([fulfil(), cancel()]) : (await Promise.all([cancel(), fulfil()])).reverse();
        return { f: f!, c: c! };
      }),
    );
    let fulfilled = 0;
    for (const { f, c } of pairs) {
      if (f.status === 200) {
        fulfilled += 1;
        expect({ c: c.status, code: c.body.error?.code }).toEqual({ c: 409, code: 'NOT_CANCELLABLE' });
      } else {
        expect({ f: f.status, code: f.body.error?.code, c: c.status }).toEqual({ f: 409, code: 'REDEMPTION_CANCELLED', c: 200 });
      }
    }
    const statuses = await t.ds.query('SELECT status, COUNT(*) AS n FROM redemption GROUP BY status');
    const byStatus = Object.fromEntries(statuses.map((s: any) => [s.status, Number(s.n)]));
    expect((byStatus.FULFILLED ?? 0) + (byStatus.CANCELLED ?? 0)).toBe(12);
    expect(byStatus.FULFILLED ?? 0).toBe(fulfilled);
    expect(await balanceOf(t, a.id)).toBe(1000 - 50 * fulfilled);
    expect(await stockOf(t, reward.id)).toBe(20 - fulfilled);
    expect(await entriesOf(t, a.id, 'REDEEM_CANCEL')).toBe(12 - fulfilled);
    expect(await t.verify()).toEqual([]);
  });

  test('redeem and cancel racing (same and other members): balances, lots and stock stay consistent', async () => {
    const price = 10;
    const stock0 = 100;
    const reward = await addReward(t, { pointsPrice: price, stock: stock0 });
    const a = await loginMember(t, 'mixer-a');
    const b = await loginMember(t, 'mixer-b');
    await grantPoints(t, a.id, 150, { expiresAt: Date.parse('2027-12-31T16:00:00Z') });
    await grantPoints(t, a.id, 45, { expiresAt: Date.parse('2026-12-31T16:00:00Z') });
    await grantPoints(t, b.id, 100);
    // A holds 10 redemptions to cancel; 95 points left.
    const held: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await redeem(t, a.token, reward.id, `mix-held-${i}`);
      expect(r.status).toBe(201);
      held.push(r.body.redemption.id);
    }
    expect(await balanceOf(t, a.id)).toBe(95);

    // Now at once: every held redemption cancelled twice, 20 new redemptions by A, 10 by B,
    // and replays of 5 earlier keys (which must not debit again).
    const jobs: { kind: string; run: () => Promise<Res> }[] = [
      ...held.flatMap((id) => [0, 1].map(() => ({ kind: `cancel:${id}`, run: () => t.request('POST', `/api/v1/me/redemptions/${id}/cancel`, { token: a.token }) }))),
      ...Array.from({ length: 20 }, (_, i) => ({ kind: 'redeem:a', run: () => redeem(t, a.token, reward.id, `mix-new-a-${i}`) })),
      ...Array.from({ length: 10 }, (_, i) => ({ kind: 'redeem:b', run: () => redeem(t, b.token, reward.id, `mix-new-b-${i}`) })),
      ...Array.from({ length: 5 }, (_, i) => ({ kind: 'replay:a', run: () => redeem(t, a.token, reward.id, `mix-held-${i}`) })),
    ];
    // Interleave kinds so the requests really overlap.
    const order = jobs.map((_, i) => i).sort((x, y) => ((x * 7919) % jobs.length) - ((y * 7919) % jobs.length));
    const settled = await Promise.all(order.map((i) => jobs[i]!.run()));
    const results = new Map<number, Res>();
    order.forEach((i, k) => results.set(i, settled[k]!));
    const of = (pred: (kind: string) => boolean) => jobs.map((j, i) => ({ j, r: results.get(i)! })).filter((x) => pred(x.j.kind));

    for (const id of held) {
      const pair = of((k) => k === `cancel:${id}`).map((x) => x.r);
      expect(histogram(pair)).toEqual({ '200': 1, '409 NOT_CANCELLABLE': 1 });
    }
    const aNew = of((k) => k === 'redeem:a').map((x) => x.r);
    const bNew = of((k) => k === 'redeem:b').map((x) => x.r);
    for (const r of aNew) expect([201, 409]).toContain(r.status);
    for (const r of aNew.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(histogram(bNew)).toEqual({ '201': 10 });
    for (const x of of((k) => k === 'replay:a')) {
      expect(x.r.status).toBe(201);
      expect(x.r.headers.get('idempotent-replayed')).toBe('true');
    }
    const aOk = aNew.filter((r) => r.status === 201).length;
    // A had 95 and gets 100 back from the cancels: between 9 (all redeems before any cancel) and 19 fit.
    expect(aOk).toBeGreaterThanOrEqual(9);
    expect(aOk).toBeLessThanOrEqual(19);
    expect(await balanceOf(t, a.id)).toBe(195 - aOk * price);
    expect(await balanceOf(t, b.id)).toBe(0);
    const active = await scalar(t, "SELECT COUNT(*) AS n FROM redemption WHERE status = 'AWAITING_PICKUP'");
    expect(active).toBe(aOk + 10);
    expect(await stockOf(t, reward.id)).toBe(stock0 - active);
    expect(await entriesOf(t, a.id, 'REDEEM_CANCEL')).toBe(10);
    expect(await entriesOf(t, a.id, 'REDEEM')).toBe(10 + aOk);
    // Lots never go below zero or above their amount, and every debit's movements add up to it.
    const moved = await t.ds.query(
      "SELECT e.id, e.delta, COALESCE(SUM(m.delta), 0) AS moved FROM ledger_entry e LEFT JOIN lot_movement m ON m.entry_id = e.id WHERE e.code IN ('REDEEM', 'REDEEM_CANCEL') GROUP BY e.id, e.delta",
    );
    for (const row of moved) expect(Number(row.moved)).toBe(Number(row.delta));
    expect(await t.verify()).toEqual([]);
  });
});
