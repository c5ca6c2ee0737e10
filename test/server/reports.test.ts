import { healthReportResponse, type HealthReportResponse } from '@jifen/shared';
import { CampaignEntity } from '../../server/src/db/entities';
import { verifyLedger } from '../../server/src/services/verify.service';
import { staffToken, addReward, addStoresAndStaff, grantPoints, loginMember, startTestApp, type TestApp } from './helpers';

/**
 * The points-health report over a known history built through the API (purchases during a campaign, a
 * refund inside and one outside the pending window, check-ins either side of a Shanghai month boundary,
 * redemptions and a cancellation, an expiry run past the year end): every figure asserted exactly, and
 * reconciled with the accounts, the raw ledger and verifyLedger.
 */

const HEALTH = '/api/v1/admin/reports/health';
const zero = { EARN_PURCHASE: 0, EARN_CHECKIN: 0, EARN_TASK: 0, EARN_CAMPAIGN_BONUS: 0, ADJUST: 0, COMPENSATION: 0 };

async function report(t: TestApp, query = '', username = 'marketing'): Promise<HealthReportResponse> {
  const res = await t.request('GET', `${HEALTH}${query}`, { token: await staffToken(t, username) });
  if (res.status !== 200) throw new Error(`report ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return healthReportResponse.parse(res.body); // the response honours the shared contract
}

/** As in till.test.ts (not imported from there: that would run its tests here too). */
async function memberToken(t: TestApp, name: string): Promise<string> {
  return (await loginMember(t, name)).token;
}

async function purchase(t: TestApp, member: string, clerk: string, orderNo: string, amountFen: number) {
  const code = (await t.request('GET', '/api/v1/me/code', { token: await memberToken(t, member) })).body.code;
  const res = await t.request('POST', '/api/v1/till/purchases', { token: await staffToken(t, clerk), body: { memberCode: code, orderNo, amountFen } });
  if (res.status !== 201) throw new Error(`purchase ${orderNo}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function refund(t: TestApp, clerk: string, orderNo: string, amountFen: number, key: string) {
  const res = await t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: await staffToken(t, clerk), body: { amountFen }, headers: { 'Idempotency-Key': key } });
  if (res.status !== 201) throw new Error(`refund ${orderNo}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function checkIn(t: TestApp, member: string) {
  const res = await t.request('POST', '/api/v1/me/checkins', { token: await memberToken(t, member) });
  if (res.status !== 201) throw new Error(`checkin ${member}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function redeem(t: TestApp, member: string, rewardId: number, quantity: number, key: string) {
  const res = await t.request('POST', '/api/v1/me/redemptions', { token: await memberToken(t, member), body: { rewardId, quantity }, headers: { 'Idempotency-Key': key } });
  if (res.status !== 201) throw new Error(`redeem ${member}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function scalar(t: TestApp, sql: string): Promise<number> {
  const rows = await t.ds.query(sql);
  return Number(Object.values(rows[0] as Record<string, unknown>)[0] ?? 0);
}

/** The checks every report must pass against the database itself. */
async function expectReconciled(t: TestApp, r: HealthReportResponse): Promise<void> {
  const balances = await scalar(t, 'SELECT COALESCE(SUM(balance), 0) AS s FROM member_account');
  const ledger = await scalar(t, 'SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry');
  expect(r.outstanding.points).toBe(balances);
  expect(r.outstanding.points).toBe(ledger);
  expect(r.allTime.netChange).toBe(ledger);
  expect(r.allTime.issued.total - r.allTime.redeemed.net - r.allTime.reversedByRefunds - r.allTime.expired - r.allTime.adjustedOut).toBe(r.outstanding.points);
  expect(r.allTime.reconciled).toBe(true);
  expect(r.allTime.issued.byCode.EARN_CAMPAIGN_BONUS).toBe(await scalar(t, 'SELECT COALESCE(SUM(issued_points), 0) AS s FROM campaign'));
  const verify = await verifyLedger(t.ds);
  expect(verify.problems).toEqual([]);
  expect(verify.membersChecked).toBe(r.outstanding.members);
}

describe('points-health report', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' }); // 12:00 Shanghai, Monday 15 June 2026
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('every figure of a known history, reconciled with the ledger and verify', async () => {
    const campaignRow = {
      multiplierPct: 200,
      tiers: [] as string[],
      storeIds: [] as number[],
      channels: ['purchase' as const],
      stacksWithTier: true,
      issuedPoints: 0,
      endedAt: null,
      createdBy: 1,
      createdAt: t.clock().getTime(),
      updatedAt: t.clock().getTime(),
    };
    // 618: 15-18 June (Shanghai), double points, budget 1000. Singles' day: 11 November, never used.
    const c618 = await t.ds.getRepository(CampaignEntity).insert({ ...campaignRow, name: '618 双倍积分', startsAt: Date.parse('2026-06-14T16:00:00Z'), endsAt: Date.parse('2026-06-18T16:00:00Z'), budgetPoints: 1000 });
    const c1111 = await t.ds.getRepository(CampaignEntity).insert({ ...campaignRow, name: '双11', startsAt: Date.parse('2026-11-10T16:00:00Z'), endsAt: Date.parse('2026-11-11T16:00:00Z'), budgetPoints: 5000 });
    const id618 = Number(c618.identifiers[0]!.id);
    const id1111 = Number(c1111.identifiers[0]!.id);
    const cup = await addReward(t, { title: '保温杯', pointsPrice: 100, stock: 10 });
    const coffee = await addReward(t, { title: '咖啡券', pointsPrice: 30, stock: 10 });
    await loginMember(t, 'carol');

    // 15 June: two purchases inside 618 (200 + 200 bonus; 50 + 50), check-ins, a refund inside the pending window.
    expect((await purchase(t, 'alice', 'clerk-a', 'A-1001', 20000)).pointsAwarded).toBe(400);
    expect((await purchase(t, 'bob', 'clerk-b', 'B-2001', 5000)).pointsAwarded).toBe(100);
    await checkIn(t, 'alice');
    await checkIn(t, 'bob');
    expect((await refund(t, 'clerk-a', 'A-1001', 5000, 'refund-a1001-1')).pointsReversed).toBe(100);

    const june = '?from=2026-06-01&to=2026-06-30';
    const early = await report(t, june);
    expect(early.range).toEqual({ from: '2026-06-01', to: '2026-06-30', timezone: 'Asia/Shanghai', startsAt: '2026-05-31T16:00:00.000Z', endsAt: '2026-06-30T16:00:00.000Z', days: 30 });
    expect(early.period).toEqual({
      issued: { total: 502, byCode: { ...zero, EARN_PURCHASE: 250, EARN_CHECKIN: 2, EARN_CAMPAIGN_BONUS: 250 } },
      redeemed: { gross: 0, cancelled: 0, net: 0 },
      reversedByRefunds: 100,
      expired: 0,
      adjustedOut: 0,
      netChange: 402,
    });
    expect(early.consumptionRate).toEqual({ bp: 0, pct: '0.00%' });
    // Purchase points are pending for 7 days: alice 100 + 200 left after the refund, bob 50 + 50.
    expect(early.outstanding).toEqual({ points: 402, worthFen: 402, worthYuan: '4.02', pendingPoints: 400, awaitingExpiryPoints: 0, debtPoints: 0, membersWithDebt: 0, members: 3 });
    await expectReconciled(t, early);

    t.clock.set('2026-06-16T04:00:00Z');
    await checkIn(t, 'alice');

    // 23 June, points active: alice redeems a cup and a coffee, cancels the coffee; bob redeems two coffees.
    t.clock.set('2026-06-23T04:00:00Z');
    await redeem(t, 'alice', cup.id, 1, 'redeem-alice-cup');
    const aliceCoffee = await redeem(t, 'alice', coffee.id, 1, 'redeem-alice-coffee');
    const cancel = await t.request('POST', `/api/v1/me/redemptions/${aliceCoffee.redemption.id}/cancel`, { token: await memberToken(t, 'alice') });
    expect(cancel.status).toBe(200);
    await redeem(t, 'bob', coffee.id, 2, 'redeem-bob-coffee');

    // 24 June: bob's whole order refunded after he spent most of it: 41 left, 100 reversed, 59 debt.
    t.clock.set('2026-06-24T04:00:00Z');
    expect((await refund(t, 'clerk-b', 'B-2001', 5000, 'refund-b2001-1')).pointsReversed).toBe(100);
    const indebted = await report(t, june);
    expect(indebted.outstanding).toEqual({ points: 143, worthFen: 143, worthYuan: '1.43', pendingPoints: 0, awaitingExpiryPoints: 0, debtPoints: 59, membersWithDebt: 1, members: 3 });
    await expectReconciled(t, indebted);

    // Either side of the month boundary in Shanghai: 30 June 23:59:59 and 1 July 00:00:00.
    t.clock.set('2026-06-30T15:59:59Z');
    await grantPoints(t, (await loginMember(t, 'carol')).id, 500);
    t.clock.set('2026-06-30T16:00:00Z');
    await checkIn(t, 'alice');

    // 2027: a check-in and a purchase that outlive the 2026 clear-down.
    t.clock.set('2027-03-01T04:00:00Z');
    await checkIn(t, 'alice');
    expect((await purchase(t, 'alice', 'clerk-a', 'A-1003', 10000)).pointsAwarded).toBe(100);

    // Just past the 2027 year end in Shanghai: 2026 points are due; before the job runs they await expiry.
    t.clock.set('2027-12-31T16:30:00Z');
    const due = await report(t);
    expect(due.outstanding).toMatchObject({ points: 745, awaitingExpiryPoints: 703, pendingPoints: 0 });
    await expectReconciled(t, due);
    const run = await t.services.expiry.run();
    expect(run).toMatchObject({ lotsExpired: 5, pointsExpired: 703 });

    // June 2026 in full.
    const r = await report(t, june);
    expect(r.period).toEqual({
      issued: { total: 1003, byCode: { ...zero, EARN_PURCHASE: 250, EARN_CHECKIN: 3, EARN_CAMPAIGN_BONUS: 250, ADJUST: 500 } },
      redeemed: { gross: 190, cancelled: 30, net: 160 },
      reversedByRefunds: 200,
      expired: 0,
      adjustedOut: 0,
      netChange: 643,
    });
    expect(r.consumptionRate).toEqual({ bp: 1595, pct: '15.95%' }); // 160 / 1003, truncated
    expect(r.campaigns).toEqual([
      { id: id618, name: '618 双倍积分', startsAt: '2026-06-14T16:00:00.000Z', endsAt: '2026-06-18T16:00:00.000Z', endedAt: null, budgetPoints: 1000, issuedPoints: 250, usedBp: 2500, usedPct: '25.00%' },
    ]);
    // By quantity (the cancelled coffee does not count): two coffees before one cup.
    expect(r.topRewards).toEqual([
      { rewardId: coffee.id, title: '咖啡券', quantity: 2, points: 60 },
      { rewardId: cup.id, title: '保温杯', quantity: 1, points: 100 },
    ]);
    expect(r.byMonth).toEqual([{ month: '2026-06', issued: 1003, redeemed: 160, expired: 0 }]);
    expect(r.generatedAt).toBe('2027-12-31T16:30:00.000Z');

    // The liability now: alice 1 + 100 (2027), bob -59 (debt), carol 0.
    expect(r.outstanding).toEqual({ points: 42, worthFen: 42, worthYuan: '0.42', pendingPoints: 0, awaitingExpiryPoints: 0, debtPoints: 59, membersWithDebt: 1, members: 3 });
    expect(r.allTime).toEqual({
      issued: { total: 1105, byCode: { ...zero, EARN_PURCHASE: 350, EARN_CHECKIN: 5, EARN_CAMPAIGN_BONUS: 250, ADJUST: 500 } },
      redeemed: { gross: 190, cancelled: 30, net: 160 },
      reversedByRefunds: 200,
      expired: 703,
      adjustedOut: 0,
      netChange: 42,
      reconciled: true,
    });
    await expectReconciled(t, r);

    // Month buckets split at Shanghai midnight, both range ends inclusive.
    const edge = await report(t, '?from=2026-06-30&to=2026-07-01');
    expect(edge.byMonth).toEqual([
      { month: '2026-06', issued: 500, redeemed: 0, expired: 0 },
      { month: '2026-07', issued: 1, redeemed: 0, expired: 0 },
    ]);
    expect(edge.period.issued.byCode).toEqual({ ...zero, ADJUST: 500, EARN_CHECKIN: 1 });
    expect((await report(t, '?from=2026-06-30&to=2026-06-30')).period.issued.total).toBe(500);
    expect((await report(t, '?from=2026-07-01&to=2026-07-01')).period.issued.total).toBe(1);

    // Nine months with one campaign (not used) and no redemptions.
    const mid = await report(t, '?from=2026-07-01&to=2027-03-31');
    expect(mid.byMonth.map((m) => m.month)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(mid.byMonth.map((m) => m.issued)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 101]);
    expect(mid.period.issued.byCode).toEqual({ ...zero, EARN_CHECKIN: 2, EARN_PURCHASE: 100 });
    expect(mid.consumptionRate).toEqual({ bp: 0, pct: '0.00%' });
    expect(mid.campaigns.map((c) => [c.id, c.issuedPoints, c.usedBp, c.usedPct])).toEqual([[id1111, 0, 0, '0.00%']]);
    expect(mid.topRewards).toEqual([]);

    // The clear-down lands in January 2028 (Shanghai); nothing issued, so no rate.
    const clear = await report(t, '?from=2027-12-01&to=2028-01-31');
    expect(clear.byMonth).toEqual([
      { month: '2027-12', issued: 0, redeemed: 0, expired: 0 },
      { month: '2028-01', issued: 0, redeemed: 0, expired: 703 },
    ]);
    expect(clear.period).toMatchObject({ expired: 703, netChange: -703, issued: { total: 0 } });
    expect(clear.consumptionRate).toEqual({ bp: null, pct: '—' });
    expect(clear.campaigns).toEqual([]);

    // Default: the last 30 local days up to today (1 January 2028 in Shanghai).
    const byDefault = await report(t, '', 'admin');
    expect(byDefault.range).toMatchObject({ from: '2027-12-03', to: '2028-01-01', days: 30 });
    expect(byDefault.period.expired).toBe(703);
    expect(byDefault.byMonth.map((m) => m.month)).toEqual(['2027-12', '2028-01']);
    // Only `from`: up to today.
    expect((await report(t, '?from=2027-12-31')).range).toMatchObject({ from: '2027-12-31', to: '2028-01-01', days: 2 });
  });

  test('figures stay consistent while purchases are posted concurrently', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const codes = await Promise.all(names.map(async (n) => (await t.request('GET', '/api/v1/me/code', { token: await memberToken(t, n) })).body.code as string));
    const clerk = await staffToken(t, 'clerk-a');
    const marketing = await staffToken(t, 'marketing');
    const posts = codes.map((memberCode, i) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode, orderNo: `C-${i}`, amountFen: 1000 + i * 100 } }));
    const reads = Array.from({ length: 6 }, () => t.request('GET', `${HEALTH}?from=2026-06-15&to=2026-06-15`, { token: marketing }));
    const [done, seen] = await Promise.all([Promise.all(posts), Promise.all(reads)]);
    expect(done.map((p) => p.status)).toEqual(names.map(() => 201));
    for (const res of seen) {
      expect(res.status).toBe(200);
      const r = healthReportResponse.parse(res.body);
      expect(r.allTime.reconciled).toBe(true);
      expect(r.period.netChange).toBe(r.outstanding.points);
      expect(r.outstanding.pendingPoints).toBe(r.outstanding.points);
    }
    const final = await report(t, '?from=2026-06-15&to=2026-06-15');
    const expected = names.reduce((s, _, i) => s + Math.floor((1000 + i * 100) / 100), 0);
    expect(final.period.issued.byCode.EARN_PURCHASE).toBe(expected);
    await expectReconciled(t, final);
  });

  test('marketing and admin only; a bad range is 400 and nothing else', async () => {
    expect((await t.request('GET', HEALTH)).status).toBe(401);
    const member = await t.request('GET', HEALTH, { token: await memberToken(t, 'alice') });
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe('FORBIDDEN');
    const clerk = await staffToken(t, 'clerk-a');
    expect((await t.request('GET', HEALTH, { token: clerk })).status).toBe(403);
    // The role is checked before the query: a clerk with a bad range is still 403.
    expect((await t.request('GET', `${HEALTH}?from=nope`, { token: clerk })).status).toBe(403);
    for (const who of ['marketing', 'admin']) expect((await t.request('GET', HEALTH, { token: await staffToken(t, who) })).status).toBe(200);

    const marketing = await staffToken(t, 'marketing');
    const bad = [
      '?from=2026-13-01',
      '?from=2026-02-30',
      '?from=20260601',
      '?to=yesterday',
      '?from=2026-6-1',
      '?from=2026-06-01&from=2026-06-02',
      '?from=2026-07-01&to=2026-06-30', // from after to
      '?from=2026-06-10&to=2027-07-15', // 401 days
      '?from=2024-01-01', // to defaults to today: more than 400 days
      '?to=1969-12-31',
    ];
    for (const q of bad) {
      const res = await t.request('GET', `${HEALTH}${q}`, { token: marketing });
      expect([q, res.status, res.body.error?.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    const widest = await t.request('GET', `${HEALTH}?from=2026-06-10&to=2027-07-14`, { token: marketing });
    expect(widest.status).toBe(200);
    expect(widest.body.range.days).toBe(400);
    expect(widest.body.byMonth).toHaveLength(14);
  });
});
