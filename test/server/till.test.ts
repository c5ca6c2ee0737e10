import { staffToken, addReward, addStoresAndStaff, countRows, grantPoints, loginMember, snapshotCounts, startTestApp, type TestApp } from './helpers';

describe('till: purchase, refund, fulfil', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('a clerk posts a 128.00 yuan purchase from the member code; pending for 7 days; refund half reverses half', async () => {
    const alice = await loginMember(t, 'alice');
    const clerk = await staffToken(t, 'clerk-a');
    const code = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
    const res = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1001', amountFen: 12800 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pointsAwarded: 128, balance: 128, orderNo: 'A-1001' });
    expect(res.body.breakdown.reduce((s: number, l: any) => s + l.points, 0)).toBe(res.body.pointsAwarded);
    // Retry with the same order: the first result, nothing new.
    const retry = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1001', amountFen: 12800 } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(res.body);
    // The code was used: a new order with it is refused.
    const reuse = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1002', amountFen: 100 } });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe('CODE_USED');
    const me = await t.request('GET', '/api/v1/me', { token: alice.token });
    expect(me.body).toMatchObject({ balance: 128, available: 0, pending: 128 });
    const refund = await t.request('POST', '/api/v1/till/purchases/A-1001/refunds', { token: clerk, body: { amountFen: 6400 }, headers: { 'Idempotency-Key': 'refund-0001' } });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ pointsReversed: 64, balance: 64 });
    const over = await t.request('POST', '/api/v1/till/purchases/A-1001/refunds', { token: clerk, body: { amountFen: 6401 }, headers: { 'Idempotency-Key': 'refund-0002' } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('REFUND_EXCEEDS_ORDER');
    t.clock.advance(7 * 86_400_000);
    const later = await t.request('GET', '/api/v1/me', { token: (await loginMember(t, 'alice')).token });
    expect(later.body).toMatchObject({ balance: 64, available: 64, pending: 0 });
    expect(await t.verify()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Purchases, refunds and fulfilment in depth (issue 4, items 3-5 and 11).

const STEP_MS = 30_000;
/** Concurrency tests on MySQL under a loaded machine may take a while; they assert outcomes, never timings. */
const CONCURRENT_TEST_TIMEOUT_MS = 60_000;
type Member = { token: string; id: number };

/** A fresh member code: codes are single use per 30 s step, so move to the next step first. */
async function freshCode(t: TestApp, member: Member): Promise<string> {
  t.clock.advance(STEP_MS);
  const res = await t.request('GET', '/api/v1/me/code', { token: member.token });
  if (res.status !== 200) throw new Error(`member code: ${res.status}`);
  return res.body.code;
}

async function buy(t: TestApp, clerk: string, member: Member, orderNo: string, amountFen: number) {
  const memberCode = await freshCode(t, member);
  return t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode, orderNo, amountFen } });
}

function refund(t: TestApp, clerk: string, orderNo: string, amountFen: number, key: string) {
  return t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: clerk, body: { amountFen }, headers: { 'Idempotency-Key': key } });
}

async function me(t: TestApp, member: Member) {
  const res = await t.request('GET', '/api/v1/me', { token: member.token });
  expect(res.status).toBe(200);
  return res.body;
}

async function ledgerOf(t: TestApp, member: Member): Promise<any[]> {
  const res = await t.request('GET', '/api/v1/me/ledger?limit=100', { token: member.token });
  expect(res.status).toBe(200);
  return res.body.entries;
}

async function debtOf(t: TestApp, memberId: number): Promise<number> {
  const rows = await t.ds.query(`SELECT debt FROM member_account WHERE member_id = ${Number(memberId)}`);
  return Number(rows[0].debt);
}

async function allCounts(t: TestApp): Promise<Record<string, number>> {
  return { ...(await snapshotCounts(t)), member_code_use: await countRows(t, 'member_code_use'), notification: await countRows(t, 'notification') };
}

const sumPoints = (lines: { points: number }[]) => lines.reduce((s, l) => s + l.points, 0);

describe('till: idempotent purchases per (store, order number)', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let clerkA: string;
  let clerkB: string;
  let alice: Member;
  let bob: Member;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
    clerkA = await staffToken(t, 'clerk-a');
    clerkB = await staffToken(t, 'clerk-b');
    alice = await loginMember(t, 'alice');
    bob = await loginMember(t, 'bob');
  });
  afterEach(() => t.close());

  test('a retry returns the identical first result, even with a new member code and after other purchases; the new code stays unused', async () => {
    const first = await buy(t, clerkA, alice, 'A-1', 12800);
    expect(first.status).toBe(201);
    expect((await buy(t, clerkA, alice, 'A-2', 5000)).status).toBe(201); // the balance moves on
    const retryCode = await freshCode(t, alice);
    const before = await allCounts(t);
    const retry = await t.request('POST', '/api/v1/till/purchases', { token: clerkA, body: { memberCode: retryCode, orderNo: 'A-1', amountFen: 12800 } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await allCounts(t)).toEqual(before);
    // The retry did not consume the new code: it still pays for a new order.
    const next = await t.request('POST', '/api/v1/till/purchases', { token: clerkA, body: { memberCode: retryCode, orderNo: 'A-3', amountFen: 100 } });
    expect(next.status).toBe(201);
    expect(next.body.balance).toBe(128 + 50 + 1);
  });

  test('the same order number with another amount or another member is 409 ORDER_CONFLICT and writes nothing', async () => {
    expect((await buy(t, clerkA, alice, 'A-1', 12800)).status).toBe(201);
    const before = await allCounts(t);
    const otherAmount = await buy(t, clerkA, alice, 'A-1', 12900);
    expect(otherAmount.status).toBe(409);
    expect(otherAmount.body.error.code).toBe('ORDER_CONFLICT');
    const bobCode = await freshCode(t, bob);
    const otherMember = await t.request('POST', '/api/v1/till/purchases', { token: clerkA, body: { memberCode: bobCode, orderNo: 'A-1', amountFen: 12800 } });
    expect(otherMember.status).toBe(409);
    expect(otherMember.body.error.code).toBe('ORDER_CONFLICT');
    expect(await allCounts(t)).toEqual(before);
    // Bob's code was not used up by the refused request.
    expect((await t.request('POST', '/api/v1/till/purchases', { token: clerkA, body: { memberCode: bobCode, orderNo: 'A-2', amountFen: 100 } })).status).toBe(201);
  });

  test('the same order number in another store is a separate order', async () => {
    const a = await buy(t, clerkA, alice, 'POS-7', 10000);
    const b = await buy(t, clerkB, alice, 'POS-7', 10000);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.purchaseId).not.toBe(a.body.purchaseId);
    expect(b.body.balance).toBe(200);
    const rows = await t.ds.query("SELECT store_id FROM purchase WHERE order_no = 'POS-7' ORDER BY store_id");
    expect(rows.map((r: any) => Number(r.store_id))).toEqual([stores.storeA, stores.storeB]);
    // Each store refunds its own: B's refund leaves A's order alone.
    expect((await refund(t, clerkB, 'POS-7', 10000, 'refund-b-pos7')).body).toMatchObject({ pointsReversed: 100, balance: 100 });
    expect((await refund(t, clerkA, 'POS-7', 5000, 'refund-a-pos7')).body).toMatchObject({ pointsReversed: 50, refundedFenTotal: 5000, balance: 50 });
  });

  test('a clerk of store A refunding store B\'s order gets 404 NOT_FOUND and changes nothing', async () => {
    expect((await buy(t, clerkB, alice, 'B-9', 8800)).status).toBe(201);
    const before = await allCounts(t);
    const res = await refund(t, clerkA, 'B-9', 100, 'refund-cross-1');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const unknown = await refund(t, clerkA, 'NO-SUCH', 100, 'refund-cross-2');
    expect(unknown.status).toBe(404);
    expect(await allCounts(t)).toEqual(before);
    expect((await me(t, alice)).balance).toBe(88);
  });

  test('a purchase response: breakdown lines add up to the points, the member is notified, the ledger entry carries the breakdown', async () => {
    const res = await buy(t, clerkA, alice, 'A-1001', 12800);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderNo: 'A-1001', memberId: alice.id, amountFen: 12800, pointsAwarded: 128, balance: 128 });
    expect(res.body.breakdown).toEqual([{ kind: 'BASE', label: expect.stringMatching(/消费/), points: 128 }]);
    expect(sumPoints(res.body.breakdown)).toBe(res.body.pointsAwarded);
    expect(res.body.pendingUntil).toBe(new Date(t.clock().getTime() + 7 * 86_400_000).toISOString());
    const notes = await t.ds.query(`SELECT kind, title, body FROM notification WHERE member_id = ${alice.id}`);
    expect(notes).toHaveLength(1);
    expect(notes[0].kind).toBe('PURCHASE');
    expect(notes[0].body).toBe('您在国贸旗舰店消费128.00元,获得128积分(7天后生效),当前余额128积分。');
    const [entry] = await ledgerOf(t, alice);
    expect(entry).toMatchObject({ code: 'EARN_PURCHASE', delta: 128, balanceAfter: 128, refType: 'purchase', refId: `${stores.storeA}:A-1001`, breakdown: res.body.breakdown });
    // Less than one yuan earns nothing: a valid order with an empty award, still recorded once.
    const small = await buy(t, clerkA, alice, 'A-1002', 99);
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ pointsAwarded: 0, balance: 128 });
    expect(sumPoints(small.body.breakdown)).toBe(0);
    expect(await t.verify()).toEqual([]);
  });

  test('tiers: a gold member earns 1.5x with a TIER line (qualifying points come from earned entries)', async () => {
    const big = await buy(t, clerkA, alice, 'A-BIG', 200_100); // 2001 points: gold from now on
    expect(big.body.pointsAwarded).toBe(2001);
    expect(big.body.breakdown.map((l: any) => l.kind)).toEqual(['BASE']);
    expect((await me(t, alice)).tier).toMatchObject({ code: 'gold', qualifyingPoints: 2001 });
    const gold = await buy(t, clerkA, alice, 'A-GOLD', 10_000);
    expect(gold.status).toBe(201);
    expect(gold.body.pointsAwarded).toBe(150);
    expect(gold.body.breakdown).toEqual([
      { kind: 'BASE', label: expect.any(String), points: 100 },
      { kind: 'TIER', label: '黄金会员 1.5倍', points: 50 },
    ]);
    expect(sumPoints(gold.body.breakdown)).toBe(150);
    // Silver (501+) earns 1.2x, floored: 99 yuan -> 99 + 19.
    expect((await buy(t, clerkA, bob, 'A-S1', 50_100)).body.pointsAwarded).toBe(501);
    const silver = await buy(t, clerkA, bob, 'A-S2', 9_900);
    expect(silver.body.breakdown).toEqual([
      { kind: 'BASE', label: expect.any(String), points: 99 },
      { kind: 'TIER', label: '白银会员 1.2倍', points: 19 },
    ]);
    expect(silver.body.pointsAwarded).toBe(118);
    expect(await t.verify()).toEqual([]);
  });

  test('30 concurrent posts of the same order: one purchase, identical responses', async () => {
    const memberCode = await freshCode(t, alice);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => t.request('POST', '/api/v1/till/purchases', { token: clerkA, body: { memberCode, orderNo: 'A-RUSH', amountFen: 12800 } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(29).fill(200), 201]);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(await countRows(t, 'purchase')).toBe(1);
    expect(await countRows(t, 'ledger_entry')).toBe(1);
    expect(await countRows(t, 'notification')).toBe(1);
    expect((await me(t, alice)).balance).toBe(128);
    expect(await t.verify()).toEqual([]);
  }, CONCURRENT_TEST_TIMEOUT_MS);
});

describe('till: 50 members at once', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('50 concurrent purchases by different members and orders, over two stores: all posted, ledger verifies', async () => {
    const clerks = [await staffToken(t, 'clerk-a'), await staffToken(t, 'clerk-b')];
    const members: Member[] = [];
    for (let i = 0; i < 50; i++) members.push(await loginMember(t, `crowd${i}`));
    const codes = await Promise.all(members.map(async (m) => (await t.request('GET', '/api/v1/me/code', { token: m.token })).body.code as string));
    const results = await Promise.all(
      members.map((_, i) => t.request('POST', '/api/v1/till/purchases', { token: clerks[i % 2]!, body: { memberCode: codes[i], orderNo: `C-${i}`, amountFen: 1000 + i * 100 } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    results.forEach((r, i) => expect(r.body).toMatchObject({ memberId: members[i]!.id, pointsAwarded: 10 + i, balance: 10 + i }));
    expect(await countRows(t, 'purchase')).toBe(50);
    expect(await t.verify()).toEqual([]);
  }, CONCURRENT_TEST_TIMEOUT_MS);
});

describe('till: refunds', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let clerk: string;
  let alice: Member;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
    alice = await loginMember(t, 'alice');
  });
  afterEach(() => t.close());

  test('partial and repeated refunds up to the amount; each reversal floored on the running total, never beyond what was awarded', async () => {
    expect((await buy(t, clerk, alice, 'R-1', 12800)).body.pointsAwarded).toBe(128);
    const parts = [4266, 4267, 4267];
    const reversed: number[] = [];
    for (const [i, fen] of parts.entries()) {
      const res = await refund(t, clerk, 'R-1', fen, `refund-r1-${i}`);
      expect(res.status).toBe(201);
      reversed.push(res.body.pointsReversed);
    }
    // floor(128 x 4266/12800) = 42, floor(128 x 8533/12800) = 85 (+43), 128 (+43).
    expect(reversed).toEqual([42, 43, 43]);
    expect(sumPoints(reversed.map((points) => ({ points })))).toBe(128);
    const more = await refund(t, clerk, 'R-1', 1, 'refund-r1-x');
    expect(more.status).toBe(409);
    expect(more.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_ORDER', details: { refundableFen: 0 } });
    expect((await me(t, alice)).balance).toBe(0);
    expect(await t.verify()).toEqual([]);
  });

  test('refund beyond the order amount is 409 and writes nothing; a zero refund is 400', async () => {
    await buy(t, clerk, alice, 'R-2', 5000);
    expect((await refund(t, clerk, 'R-2', 3000, 'refund-r2-1')).status).toBe(201);
    const before = await allCounts(t);
    const over = await refund(t, clerk, 'R-2', 2001, 'refund-r2-2');
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_ORDER', details: { refundableFen: 2000 } });
    const zero = await refund(t, clerk, 'R-2', 0, 'refund-r2-3');
    expect(zero.status).toBe(400);
    expect(await allCounts(t)).toEqual(before);
    // The refused key was not stored: the same key may carry a valid refund afterwards.
    const ok = await refund(t, clerk, 'R-2', 2000, 'refund-r2-2');
    expect(ok.body).toMatchObject({ refundedFenTotal: 5000, pointsReversed: 20, balance: 0 });
  });

  test('many tiny refunds never reverse more than awarded, and the last fen reverses the rest', async () => {
    await buy(t, clerk, alice, 'R-3', 1000); // 10 points
    let total = 0;
    for (let i = 0; i < 9; i++) {
      const res = await refund(t, clerk, 'R-3', 111, `refund-r3-${i}`);
      total += res.body.pointsReversed;
      expect(total).toBe(Math.floor((10 * 111 * (i + 1)) / 1000));
    }
    const last = await refund(t, clerk, 'R-3', 1, 'refund-r3-last');
    expect(total + last.body.pointsReversed).toBe(10);
    expect(await t.verify()).toEqual([]);
  });

  test('Idempotency-Key: a replay returns the same body; the key with another body or order is 409 IDEMPOTENCY_MISMATCH; no key is 400', async () => {
    await buy(t, clerk, alice, 'R-4', 10000);
    await buy(t, clerk, alice, 'R-5', 10000);
    const first = await refund(t, clerk, 'R-4', 2500, 'refund-key-0001');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ orderNo: 'R-4', refundFen: 2500, refundedFenTotal: 2500, pointsReversed: 25, pointsReturned: 0, balance: 175 });
    await refund(t, clerk, 'R-5', 1000, 'refund-key-0002'); // the balance moves on
    const before = await allCounts(t);
    const replay = await refund(t, clerk, 'R-4', 2500, 'refund-key-0001');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const otherBody = await refund(t, clerk, 'R-4', 2600, 'refund-key-0001');
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    const otherOrder = await refund(t, clerk, 'R-5', 2500, 'refund-key-0001');
    expect(otherOrder.status).toBe(409);
    expect(otherOrder.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    const noKey = await t.request('POST', '/api/v1/till/purchases/R-4/refunds', { token: clerk, body: { amountFen: 100 } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await allCounts(t)).toEqual(before);
  });

  test('a refund inside the pending window cancels the order\'s pending points, not the member\'s other points; no debt', async () => {
    await grantPoints(t, alice.id, 500);
    const p = await buy(t, clerk, alice, 'R-6', 12800);
    expect(p.body.pendingUntil).not.toBeNull();
    expect(await me(t, alice)).toMatchObject({ balance: 628, available: 500, pending: 128 });
    const res = await refund(t, clerk, 'R-6', 12800, 'refund-r6-all');
    expect(res.body).toMatchObject({ pointsReversed: 128, balance: 500 });
    expect(await me(t, alice)).toMatchObject({ balance: 500, available: 500, pending: 0 });
    expect(await debtOf(t, alice.id)).toBe(0);
    const lots = await t.ds.query(`SELECT ref_id, remaining FROM points_lot WHERE member_id = ${alice.id} ORDER BY id`);
    expect(lots.map((l: any) => [l.ref_id, Number(l.remaining)])).toEqual([
      [null, 500],
      [`${stores.storeA}:R-6`, 0],
    ]);
    // The ledger shows the reversal linked to its order and to the entry it reverses.
    const entries = await ledgerOf(t, alice);
    const earn = entries.find((e) => e.code === 'EARN_PURCHASE');
    const rev = entries.find((e) => e.code === 'REFUND_REVERSAL');
    expect(earn).toMatchObject({ delta: 128, refType: 'purchase', refId: `${stores.storeA}:R-6` });
    expect(rev).toMatchObject({ delta: -128, balanceAfter: 500, refType: 'purchase', refId: `${stores.storeA}:R-6`, reason: expect.stringContaining('R-6') });
    const [row] = await t.ds.query(`SELECT reverses_entry_id FROM ledger_entry WHERE code = 'REFUND_REVERSAL' AND member_id = ${alice.id}`);
    expect(Number(row.reverses_entry_id)).toBe(earn.id);
    // Refunding keeps the member's tier honest: the reversed points no longer qualify.
    expect((await me(t, alice)).tier.qualifyingPoints).toBe(0);
    expect(await t.verify()).toEqual([]);
  });
});

describe('till: refund after the points were spent (debt)', () => {
  let t: TestApp;
  let clerk: string;
  let alice: Member;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z', rules: (r) => ({ ...r, purchase: { ...r.purchase, pendingDays: 0 } }) });
    await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
    alice = await loginMember(t, 'alice');
  });
  afterEach(() => t.close());

  test('the balance goes negative, /me shows it, redeeming is refused, and later purchases repay the debt first', async () => {
    const p = await buy(t, clerk, alice, 'D-1', 20000);
    expect(p.body).toMatchObject({ pointsAwarded: 200, balance: 200, pendingUntil: null });
    const reward = await addReward(t, { title: '咖啡', pointsPrice: 150, stock: 5 });
    const redeemed = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'redeem-d1-0001' } });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.balance).toBe(50);

    const res = await refund(t, clerk, 'D-1', 20000, 'refund-d1-all');
    expect(res.body).toMatchObject({ pointsReversed: 200, balance: -150 });
    expect(await debtOf(t, alice.id)).toBe(150);
    expect(await me(t, alice)).toMatchObject({ balance: -150, available: 0, pending: 0, worthFen: 0 }); // the debt shows in the balance; spendable is 0 (issue 13.1)
    const rev = (await ledgerOf(t, alice)).find((e) => e.code === 'REFUND_REVERSAL');
    expect(rev).toMatchObject({ delta: -200, balanceAfter: -150, refType: 'purchase', refId: expect.stringMatching(/:D-1$/) });
    expect(await t.verify()).toEqual([]);

    // In debt, nothing can be redeemed.
    const blocked = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'redeem-d1-0002' } });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('INSUFFICIENT_POINTS');

    // 100 points repay 100 of the 150 debt: the balance rises by 100, the new lot keeps nothing.
    const repay = await buy(t, clerk, alice, 'D-2', 10000);
    expect(repay.body).toMatchObject({ pointsAwarded: 100, balance: -50 });
    expect(await debtOf(t, alice.id)).toBe(50);
    // 300 more: 50 repay the rest, 250 remain spendable.
    const after = await buy(t, clerk, alice, 'D-3', 30000);
    expect(after.body).toMatchObject({ pointsAwarded: 300, balance: 250 });
    expect(await debtOf(t, alice.id)).toBe(0);
    const lots = await t.ds.query(`SELECT ref_id, amount, remaining FROM points_lot WHERE member_id = ${alice.id} ORDER BY id`);
    expect(lots.map((l: any) => [String(l.ref_id).split(':')[1], Number(l.amount), Number(l.remaining)])).toEqual([
      ['D-1', 200, 0],
      ['D-2', 100, 0],
      ['D-3', 300, 250],
    ]);
    expect(await me(t, alice)).toMatchObject({ balance: 250, available: 250 });
    expect(await t.verify()).toEqual([]);
  });

  test('a partial refund takes the order\'s own lot first, then other lots FIFO, and only then makes debt', async () => {
    await grantPoints(t, alice.id, 30);
    await buy(t, clerk, alice, 'D-4', 10000); // 100 points
    const reward = await addReward(t, { pointsPrice: 90, stock: 5 });
    // FIFO by expiry then id: the 30 granted first, then 60 of the order's lot.
    expect((await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: reward.id }, headers: { 'Idempotency-Key': 'redeem-d4-0001' } })).body.balance).toBe(40);
    const res = await refund(t, clerk, 'D-4', 6000, 'refund-d4-part');
    // 60 points: the order's 40 left, then nothing else to take -> 20 debt.
    expect(res.body).toMatchObject({ pointsReversed: 60, balance: -20 });
    expect(await debtOf(t, alice.id)).toBe(20);
    expect(await t.verify()).toEqual([]);
  });

  test('concurrent refunds of one order with different keys never exceed the amount', async () => {
    await buy(t, clerk, alice, 'D-5', 5000); // 50 points
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => refund(t, clerk, 'D-5', 1000, `refund-d5-${i}`)));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(5).fill('REFUND_EXCEEDS_ORDER'));
    expect(ok.reduce((s, r) => s + r.body.pointsReversed, 0)).toBe(50);
    expect((await me(t, alice)).balance).toBe(0);
    expect(await countRows(t, 'refund')).toBe(5);
    expect(await t.verify()).toEqual([]);
  }, CONCURRENT_TEST_TIMEOUT_MS);
});

describe('till: counter fulfilment by pickup code', () => {
  let t: TestApp;
  let clerkA: string;
  let alice: Member;
  let rewardId: number;
  let n = 0;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    clerkA = await staffToken(t, 'clerk-a');
    alice = await loginMember(t, 'alice');
    await grantPoints(t, alice.id, 1000);
    rewardId = (await addReward(t, { title: '拿铁', pointsPrice: 45, stock: 10 })).id;
  });
  afterEach(() => t.close());

  const redeem = async () => {
    const res = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId }, headers: { 'Idempotency-Key': `redeem-ful-${++n}` } });
    expect(res.status).toBe(201);
    return res.body.redemption as { id: number; pickupCode: string };
  };
  const fulfil = (code: string, token = clerkA) => t.request('POST', `/api/v1/till/redemptions/${code}/fulfil`, { token });

  test('once: the first hand-over succeeds, the second is 409 ALREADY_FULFILLED, and the member can no longer cancel', async () => {
    const r = await redeem();
    const ok = await fulfil(r.pickupCode.toLowerCase());
    expect(ok.status).toBe(200);
    expect(ok.body.redemption).toMatchObject({ id: r.id, status: 'FULFILLED', rewardTitle: '拿铁', fulfilledAt: t.clock().toISOString() });
    const again = await fulfil(r.pickupCode);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_FULFILLED');
    // Another store's clerk cannot hand it over a second time either.
    const atB = await fulfil(r.pickupCode, await staffToken(t, 'clerk-b'));
    expect(atB.body.error.code).toBe('ALREADY_FULFILLED');
    const cancel = await t.request('POST', `/api/v1/me/redemptions/${r.id}/cancel`, { token: alice.token });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('NOT_CANCELLABLE');
    expect(await t.verify()).toEqual([]);
  });

  test('a cancelled redemption is 409 REDEMPTION_CANCELLED; an unknown code 404; a malformed code 400', async () => {
    const r = await redeem();
    expect((await t.request('POST', `/api/v1/me/redemptions/${r.id}/cancel`, { token: alice.token })).status).toBe(200);
    const res = await fulfil(r.pickupCode);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('REDEMPTION_CANCELLED');
    const unknown = await fulfil('ZZZZZZZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const bad = await fulfil('not-a-code');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('10 clerks fulfilling the same code at once: exactly one hand-over', async () => {
    const r = await redeem();
    const results = await Promise.all(Array.from({ length: 10 }, () => fulfil(r.pickupCode)));
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409).map((x) => x.body.error.code)).toEqual(Array(9).fill('ALREADY_FULFILLED'));
  }, CONCURRENT_TEST_TIMEOUT_MS);
});
