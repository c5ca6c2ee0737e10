import { healthReportResponse, type HealthReportResponse } from '@jifen/shared';
import { verifyLedger } from '../../server/src/services/verify.service';
import { addReward, addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * The account rollups (issue 14.4, account-rollups.ts): the member count and the members' debts the health
 * report reads instead of a pass over every account. Built through the API (purchases, a redemption, refunds
 * that leave debts, an expiry run): the report's figures equal the accounts' live ones before and after the
 * catch-up folds the entries, member_debt equals the accounts' debts once folded, and verify finds each kind
 * of tampering with the rollups.
 */
const HEALTH = '/api/v1/admin/reports/health';

async function report(t: TestApp): Promise<HealthReportResponse> {
  const res = await t.request('GET', HEALTH, { token: await staffToken(t, 'marketing') });
  expect(res.status).toBe(200);
  return healthReportResponse.parse(res.body);
}

/** The figures straight from the accounts. */
async function live(t: TestApp): Promise<{ members: number; debtPoints: number; membersWithDebt: number }> {
  const [r] = (await t.ds.query('SELECT COUNT(*) AS n, COALESCE(SUM(debt), 0) AS d, COALESCE(SUM(CASE WHEN debt > 0 THEN 1 ELSE 0 END), 0) AS k FROM member_account')) as Record<string, unknown>[];
  return { members: Number(r!.n), debtPoints: Number(r!.d), membersWithDebt: Number(r!.k) };
}

async function expectLive(t: TestApp): Promise<HealthReportResponse> {
  const r = await report(t);
  expect({ members: r.outstanding.members, debtPoints: r.outstanding.debtPoints, membersWithDebt: r.outstanding.membersWithDebt }).toEqual(await live(t));
  const v = await verifyLedger(t.ds, { timezone: t.config.rules.timezone });
  expect(v.problems).toEqual([]);
  return r;
}

async function kept(t: TestApp): Promise<Record<number, number>> {
  const rows = (await t.ds.query('SELECT member_id, debt FROM member_debt ORDER BY member_id')) as Record<string, unknown>[];
  return Object.fromEntries(rows.map((r) => [Number(r.member_id), Number(r.debt)]));
}

async function refundAll(t: TestApp, orderNo: string, amountFen: number, key: string): Promise<void> {
  const res = await t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: await staffToken(t, 'clerk-a'), body: { amountFen }, headers: { 'Idempotency-Key': key } });
  expect(res.status).toBe(201);
}

describe('account rollups', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('member count and debts follow purchases, a redemption, refunds and expiry; verify catches tampering', async () => {
    const clerk = await staffToken(t, 'clerk-a');
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    await loginMember(t, 'carol');
    const bought = await postPurchase(t, clerk, alice, 'RA-1', 20000);
    const earned = Number(bought.pointsAwarded);
    expect(earned).toBeGreaterThan(10);
    await postPurchase(t, clerk, bob, 'RB-1', 10000);
    let r = await expectLive(t); // everything in the tail: figures read live
    expect(r.outstanding).toMatchObject({ members: 3, debtPoints: 0, membersWithDebt: 0 });

    // Past the pending window: alice spends all but one point, then the whole order is refunded: a debt.
    t.clock.set('2026-06-25T04:00:00Z');
    const reward = await addReward(t, { title: '保温杯', pointsPrice: earned - 1, stock: 5 });
    const red = await t.request('POST', '/api/v1/me/redemptions', { token: (await loginMember(t, 'alice')).token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'ra-red-1' } });
    expect(red.status).toBe(201);
    await refundAll(t, 'RA-1', 20000, 'ra-refund-1');
    r = await expectLive(t); // the refund is younger than the lag: alice's debt comes from her account
    expect(r.outstanding).toMatchObject({ members: 3, debtPoints: earned - 1, membersWithDebt: 1 });
    // (member_debt may already hold it: folding alice's older purchase refreshed her debt from her account.)

    // A minute on, the report's catch-up folds them: member_debt has alice's debt and the count is kept.
    t.clock.advance(60_000);
    await loginMember(t, 'dave'); // younger than the lag: counted live
    r = await expectLive(t);
    expect(r.outstanding).toMatchObject({ members: 4, debtPoints: earned - 1, membersWithDebt: 1 });
    expect(await kept(t)).toEqual({ [alice.id]: earned - 1 });
    const [total] = (await t.ds.query("SELECT last_id, value FROM rollup_total WHERE name = 'members'")) as Record<string, unknown>[];
    expect(Number(total!.value)).toBe(3);

    // Alice pays her debt off with a new purchase (in the tail: read live, member_debt not yet refreshed).
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'alice'), 'RA-2', 50000);
    r = await expectLive(t);
    expect(r.outstanding).toMatchObject({ debtPoints: 0, membersWithDebt: 0 });
    expect(await kept(t)).toEqual({ [alice.id]: earned - 1 });
    t.clock.advance(60_000);
    r = await expectLive(t);
    expect(await kept(t)).toEqual({});

    // Past the points' expiry: the expiry run's entries fold in too, debts and count unchanged.
    t.clock.set('2028-01-05T04:00:00Z');
    const run = await t.services.expiry.run();
    expect(run.lotsExpired).toBeGreaterThan(0);
    t.clock.advance(60_000);
    r = await expectLive(t);
    expect(r.outstanding).toMatchObject({ members: 4, debtPoints: 0, membersWithDebt: 0 });
    expect(Number(((await t.ds.query("SELECT value FROM rollup_total WHERE name = 'members'")) as Record<string, unknown>[])[0]!.value)).toBe(4);

    // Tampering, one kind at a time: verify names it.
    await t.ds.query("UPDATE rollup_total SET value = value + 1 WHERE name = 'members'");
    expect((await verifyLedger(t.ds)).problems).toEqual([expect.stringContaining('rollup members')]);
    await t.ds.query("UPDATE rollup_total SET value = value - 1 WHERE name = 'members'");
    await t.ds.query('INSERT INTO member_debt (member_id, debt) VALUES (?, 5)', [bob.id]);
    expect((await verifyLedger(t.ds)).problems).toEqual([expect.stringContaining(`rollup debt: member ${bob.id} owes 0, member_debt has 5`)]);
    await t.ds.query('DELETE FROM member_debt');
    await t.ds.query('UPDATE member_account SET debt = 7 WHERE member_id = ?', [bob.id]);
    const tampered = (await verifyLedger(t.ds)).problems;
    expect(tampered).toContain(`rollup debt: member ${bob.id} owes 7, member_debt has no row`);
  });
});
