import { addReward, addStoresAndStaff, postPurchase, staffToken, loginMember, startTestApp, type TestApp } from './helpers';

// Issue 13.1: one rule for what a member can spend. Any credit (a purchase, an adjustment, a cancelled
// redemption's points coming back) repays debt first; spendable = max(0, spendable lots - debt), computed by
// one shared function that /me, the shelf's eligibility and the debit all use.
describe('spendable points with debt (issue 13.1)', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z', rules: (r) => ({ ...r, purchase: { ...r.purchase, pendingDays: 0 } }) });
    await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
  });
  afterEach(() => t.close());

  test('a member with 78 debt cancels a 100-point redemption: /me, the shelf and the redemption agree on 22', async () => {
    const alice = await loginMember(t, 'alice');
    await postPurchase(t, clerk, alice, 'S-1', 10000); // 100 points
    const big = await addReward(t, { title: '帆布袋', pointsPrice: 100, stock: 5, sortOrder: 1 });
    const small = await addReward(t, { title: '贴纸', pointsPrice: 15, stock: 5, sortOrder: 2 });
    const redeemed = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: big.id, quantity: 1 }, headers: { 'Idempotency-Key': 'spend-redeem-0001' } });
    expect([redeemed.status, redeemed.body.balance]).toEqual([201, 0]);
    // The order is refunded after its points were spent: 78 points of debt.
    const refund = await t.request('POST', '/api/v1/till/purchases/S-1/refunds', { token: clerk, body: { amountFen: 7800 }, headers: { 'Idempotency-Key': 'spend-refund-0001' } });
    expect(refund.body).toMatchObject({ pointsReversed: 78, balance: -78 });

    const cancelled = await t.request('POST', `/api/v1/me/redemptions/${redeemed.body.redemption.id}/cancel`, { token: alice.token });
    expect([cancelled.status, cancelled.body.balance]).toEqual([200, 22]);
    const me = await t.request('GET', '/api/v1/me', { token: alice.token });
    expect(me.body).toMatchObject({ balance: 22, available: 22, worthFen: 22 });
    const shelf = await t.request('GET', '/api/v1/rewards', { token: alice.token });
    const eligibility = (id: number) => shelf.body.rewards.find((r: any) => r.id === id).eligibility;
    expect(eligibility(small.id)).toMatchObject({ canRedeem: true, reason: 'OK' });
    expect(eligibility(big.id)).toMatchObject({ canRedeem: false, reason: 'INSUFFICIENT_POINTS' });

    const second = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: small.id, quantity: 1 }, headers: { 'Idempotency-Key': 'spend-redeem-0002' } });
    expect(second.body.error).toBeUndefined(); // on main: 409 INSUFFICIENT_POINTS, available -63
    expect([second.status, second.body.balance]).toEqual([201, 7]);
    // The 100 points coming back repaid the 78 debt first; 22 went back into the lot;
    // 15 of those were then spent.
    const acc = await t.ds.query(`SELECT balance, debt FROM member_account WHERE member_id = ${alice.id}`);
    expect([Number(acc[0].balance), Number(acc[0].debt)]).toEqual([7, 0]);

    // What is left (7) is what /me says and what a larger debit is told.
    expect((await t.request('GET', '/api/v1/me', { token: alice.token })).body).toMatchObject({ balance: 7, available: 7 });
    const tooMuch = await t.request('POST', '/api/v1/me/redemptions', { token: alice.token, body: { rewardId: small.id, quantity: 1 }, headers: { 'Idempotency-Key': 'spend-redeem-0003' } });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { needed: 15, available: 7 } });
    expect(await t.verify()).toEqual([]);
  });

  test('while in debt, /me shows 0 available (never negative), the shelf and the debit agree', async () => {
    const bob = await loginMember(t, 'bob');
    await postPurchase(t, clerk, bob, 'S-2', 5000); // 50 points
    const reward = await addReward(t, { title: '咖啡', pointsPrice: 50, stock: 5 });
    const r = await t.request('POST', '/api/v1/me/redemptions', { token: bob.token, body: { rewardId: reward.id }, headers: { 'Idempotency-Key': 'spend-redeem-0004' } });
    expect(r.status).toBe(201);
    await t.request('POST', '/api/v1/till/purchases/S-2/refunds', { token: clerk, body: { amountFen: 5000 }, headers: { 'Idempotency-Key': 'spend-refund-0002' } });
    const me = await t.request('GET', '/api/v1/me', { token: bob.token });
    expect(me.body).toMatchObject({ balance: -50, available: 0, worthFen: 0 });
    const shelf = await t.request('GET', '/api/v1/rewards', { token: bob.token });
    expect(shelf.body.rewards[0].eligibility).toMatchObject({ canRedeem: false, reason: 'INSUFFICIENT_POINTS' });
    const blocked = await t.request('POST', '/api/v1/me/redemptions', { token: bob.token, body: { rewardId: reward.id }, headers: { 'Idempotency-Key': 'spend-redeem-0005' } });
    expect(blocked.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { needed: 50, available: 0 } });
    expect(await t.verify()).toEqual([]);
  });
});
