import { grantPoints, loginMember, nextMemberCode, snapshotCounts, startClerkApp, type TestApp } from './helpers';

/**
 * Issue 11.7, points at the till (积分抵扣): pointsToUse pays part of an order at the anchor (100 points = 1 yuan),
 * at most 50 % of it; a REDEEM entry linked to the order, debited FIFO in the purchase's transaction; points earned
 * on the cash part only; a refund gives the used points back in proportion.
 */
describe('till: points pay part of an order', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  const post = (body: object) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body });
  const refund = (orderNo: string, amountFen: number, key: string) =>
    t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: clerk, body: { amountFen }, headers: { 'Idempotency-Key': key } });
  const lotsOf = async (memberId: number) =>
    (await t.ds.query(`SELECT id, amount, remaining, expires_at FROM points_lot WHERE member_id = ${memberId} ORDER BY id`)).map((r: any) => ({ id: Number(r.id), amount: Number(r.amount), remaining: Number(r.remaining) }));

  test('¥128.00 with 2,000 points: REDEEM -2000 linked to the order, FIFO from the oldest lot, 108 points earned on ¥108 cash', async () => {
    const alice = await loginMember(t, 'alice');
    // Two lots: the one expiring first pays first.
    await grantPoints(t, alice.id, 1500, { expiresAt: Date.parse('2026-12-31T15:59:59Z') });
    await grantPoints(t, alice.id, 3000, { expiresAt: Date.parse('2027-12-31T15:59:59Z') });
    const memberCode = await nextMemberCode(t, alice);
    const look = await t.request('POST', '/api/v1/till/members/lookup', { token: clerk, body: { memberCode } });
    expect(look.status).toBe(200);
    expect(look.body).toEqual({ member: { id: alice.id, nickname: expect.any(String) }, spendablePoints: 4500, pointsShareMaxPct: 50 });
    const res = await post({ memberCode, orderNo: 'P-1', amountFen: 12800, pointsToUse: 2000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pointsUsed: 2000, pointsFen: 2000, cashFen: 10800, pointsAwarded: 108, balance: 4500 - 2000 + 108 });
    const entries = (await t.request('GET', '/api/v1/me/ledger?limit=10', { token: alice.token })).body.entries;
    const redeem = entries.find((e: any) => e.code === 'REDEEM');
    expect(redeem).toMatchObject({ delta: -2000 });
    const rows = await t.ds.query(`SELECT ref_type, ref_id FROM ledger_entry WHERE code = 'REDEEM' AND member_id = ${alice.id}`);
    const storeId = Number((await t.ds.query(`SELECT store_id FROM purchase WHERE order_no = 'P-1'`))[0].store_id);
    expect(rows.map((r: any) => `${r.ref_type}:${r.ref_id}`)).toEqual([`purchase:${storeId}:P-1`]);
    const lots = await lotsOf(alice.id);
    expect(lots.slice(0, 2).map((l: any) => l.remaining)).toEqual([0, 2500]); // FIFO: 1500 from the first lot, 500 from the second
    // The retry (same body) is the first result; another pointsToUse under the same order is ORDER_CONFLICT.
    const again = await post({ memberCode, orderNo: 'P-1', amountFen: 12800, pointsToUse: 2000 });
    expect([again.status, again.body]).toEqual([200, res.body]);
    expect((await post({ memberCode, orderNo: 'P-1', amountFen: 12800, pointsToUse: 1000 })).body.error.code).toBe('ORDER_CONFLICT');
    expect(await t.verify()).toEqual([]);
  });

  test('refused before any write: over 50 % (409 POINTS_SHARE_EXCEEDED with the max), more than spendable (409 INSUFFICIENT_POINTS, code still usable), pending points do not pay', async () => {
    const bob = await loginMember(t, 'bob');
    await grantPoints(t, bob.id, 800);
    await grantPoints(t, bob.id, 5000, { activatesAt: t.clock().getTime() + 7 * 86_400_000 }); // pending: not spendable
    const memberCode = await nextMemberCode(t, bob);
    expect((await t.request('POST', '/api/v1/till/members/lookup', { token: clerk, body: { memberCode } })).body.spendablePoints).toBe(800);
    const before = await snapshotCounts(t);
    const over = await post({ memberCode, orderNo: 'P-2', amountFen: 1001, pointsToUse: 501 });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'POINTS_SHARE_EXCEEDED', details: { maxPoints: 500 } });
    const short = await post({ memberCode, orderNo: 'P-2', amountFen: 200000, pointsToUse: 801 });
    expect([short.status, short.body.error.code]).toEqual([409, 'INSUFFICIENT_POINTS']);
    expect(await snapshotCounts(t)).toEqual(before);
    const ok = await post({ memberCode, orderNo: 'P-2', amountFen: 1001, pointsToUse: 500 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ pointsUsed: 500, cashFen: 501, pointsAwarded: 5 });
  });

  test('refunds give the used points back in proportion (half, then the rest), into the lots they came from', async () => {
    const carol = await loginMember(t, 'carol');
    await grantPoints(t, carol.id, 3000);
    const res = await post({ memberCode: await nextMemberCode(t, carol), orderNo: 'P-3', amountFen: 10000, pointsToUse: 3000 });
    expect(res.body).toMatchObject({ pointsUsed: 3000, cashFen: 7000, pointsAwarded: 70, balance: 70 });
    const half = await refund('P-3', 5000, 'refund-p3-0001');
    expect(half.status).toBe(201);
    expect(half.body).toMatchObject({ pointsReturned: 1500, pointsReversed: 35, balance: 70 + 1500 - 35 });
    const rest = await refund('P-3', 5000, 'refund-p3-0002');
    expect(rest.body).toMatchObject({ pointsReturned: 1500, pointsReversed: 35, balance: 3000 });
    const lots = await lotsOf(carol.id);
    expect(lots[0]).toMatchObject({ amount: 3000, remaining: 3000 }); // the original lot, whole again (its own expiry)
    const codes = (await t.request('GET', '/api/v1/me/ledger?limit=10', { token: carol.token })).body.entries.map((e: any) => `${e.code}:${e.delta}`);
    expect(codes).toEqual(expect.arrayContaining(['REDEEM:-3000', 'REDEEM_CANCEL:1500', 'REFUND_REVERSAL:-35']));
    expect(await t.verify()).toEqual([]);
  });

  test('uneven shares: three refunds of ¥33.33 + ¥33.33 + ¥33.34 return exactly what was used', async () => {
    const dan = await loginMember(t, 'dan');
    await grantPoints(t, dan.id, 4999);
    const res = await post({ memberCode: await nextMemberCode(t, dan), orderNo: 'P-4', amountFen: 10000, pointsToUse: 4999 });
    expect(res.status).toBe(201);
    let returned = 0;
    for (const [i, fen] of [3333, 3333, 3334].entries()) returned += (await refund('P-4', fen, `refund-p4-000${i}`)).body.pointsReturned;
    expect(returned).toBe(4999);
    expect(await t.verify()).toEqual([]);
  });
});
