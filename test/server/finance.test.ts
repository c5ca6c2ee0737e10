import { addReward, addStoresAndStaff, grantPoints, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

const DAY = 86_400_000;
jest.setTimeout(60_000);

/** Finance figures (issue 10.6) and the public quarterly health report (10.7), over HTTP with the injected clock. */
describe('finance figures and the public points-health report', () => {
  let t: TestApp;
  let mk: string;
  let clerk: string;
  let m: { token: string; id: number };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T04:00:00Z' });
    await addStoresAndStaff(t);
    m = await loginMember(t, 'fin-a');
    await grantPoints(t, m.id, 300, { expiresAt: t.clock().getTime() + DAY });
    await grantPoints(t, m.id, 1000);
    // At the edge of the band (200 against 250 at the anchor: -20 %), and a 10-yuan voucher for 100 points (-90 %).
    const reward = await addReward(t, { pointsPrice: 200, stock: 10, title: '咖啡券', faceValueFen: 250, costFen: 120 });
    await addReward(t, { pointsPrice: 100, stock: 10, title: '10元代金券', faceValueFen: 1000, costFen: 1000 });
    const r = await t.request('POST', '/api/v1/me/redemptions', { token: m.token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'fin-redeem-1' } });
    expect(r.status).toBe(201);
    t.clock.advance(2 * DAY);
    await t.services.expiry.run();
    mk = await staffToken(t, 'marketing');
    clerk = await staffToken(t, 'clerk-a');
    await postPurchase(t, clerk, m, 'FIN-1', 100_000);
  });
  afterAll(() => t.close());

  test('liability at the anchor, breakage from history, net liability, redemptions at face value, issuance share of sales', async () => {
    const res = await t.request('GET', '/api/v1/admin/reports/finance', { token: mk });
    expect(res.status).toBe(200);
    // The redemption took its 200 FIFO from the lot expiring first, so 100 of that lot expired; then 1000 from the purchase.
    expect(res.body.liability.points).toBe(1300 + 1000 - 200 - 100);
    expect(res.body).toMatchObject({
      anchor: { points: 100, fen: 100 },
      liability: { fen: 2000 },
      breakage: { windowDays: 365, expiredPoints: 100, redeemedPoints: 200, rate: { bp: 3333, pct: '33.33%' }, expectedFen: 666 },
      netLiabilityFen: 2000 - 666,
      redemptions: { points: 200, pointsValueFen: 200, faceValueFen: 250, costFen: 120 },
      issuance: { points: 2300, fen: 2300, salesFen: 100_000, shareOfSales: { bp: 230, pct: '2.30%' } },
    });
    expect(res.body.anchorBandPct).toBe(20);
    expect(res.body.offAnchorRewards).toEqual([
      { id: expect.any(Number), title: '10元代金券', status: 'on_sale', pointsPrice: 100, faceValueFen: 1000, anchorPoints: 1000, deviation: { bp: -9000, pct: '-90.00%' }, reason: '' },
    ]);
    const csv = await t.request('GET', '/api/v1/admin/reports/finance.csv', { token: mk });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('积分负债 liability at anchor,20.00,CNY');
    expect(csv.body).toContain('扣除失效后负债 net liability,13.34,CNY');
    expect(csv.body).toContain('兑换成本 redemptions at cost,1.20,CNY');
    expect((await t.request('GET', '/api/v1/admin/reports/finance', { token: clerk })).status).toBe(403);
  });

  test('the public report needs no sign-in and agrees with the staff report and the ledger', async () => {
    const pub = await t.request('GET', '/api/v1/reports/points-health?quarter=2026Q4');
    expect(pub.status).toBe(200);
    const staff = await t.request('GET', '/api/v1/admin/reports/health?from=2026-10-01&to=2026-12-31', { token: mk });
    expect(pub.body).toMatchObject({
      quarter: '2026Q4',
      from: '2026-10-01',
      to: '2026-12-31',
      issued: 2300,
      redeemed: 200,
      expired: 100,
      consumptionRate: { bp: 869, pct: '8.69%' },
      outstandingPoints: 2000,
      noDevaluation: true,
      statement: '本季度无贬值',
      inflation: { engaged: false, text: '本季度未启动积分调控' },
      reconciled: true,
      valueChanges: [],
    });
    expect(pub.body.issued).toBe(staff.body.period.issued.total);
    expect(pub.body.redeemed).toBe(staff.body.period.redeemed.net);
    expect((await t.request('GET', '/api/v1/reports/points-health')).body.quarter).toBe('2026Q4');
    expect((await t.request('GET', '/api/v1/reports/points-health?quarter=2026Q5')).status).toBe(400);
    expect((await t.request('GET', '/api/v1/reports/points-health?quarter=2027Q2')).status).toBe(400);
  });

  test('a quarter with a value change that lowered the worth of points says so', async () => {
    const pub = await t.request('POST', '/api/v1/admin/value-changes', {
      token: mk,
      body: { title: '积分价值调整', reason: '成本上涨', effectiveAt: new Date(t.clock().getTime() + 60 * DAY).toISOString(), rules: { anchor: { points: 100, fen: 90 } }, compensation: { mode: 'restore' } },
    });
    expect(pub.status).toBe(201);
    t.clock.advance(61 * DAY); // 2027-01-03
    await t.services.economyJob.tick();
    const q1 = await t.request('GET', '/api/v1/reports/points-health?quarter=2027Q1');
    expect(q1.body).toMatchObject({ noDevaluation: false, statement: '本季度积分价值有调整,已按规则补偿', anchor: { points: 100, fen: 90 } });
    expect(q1.body.valueChanges).toEqual([{ title: '积分价值调整', effectiveAt: expect.any(String), changes: ['积分价值:100 积分 = ¥1.00 → 100 积分 = ¥0.90'] }]);
    expect(q1.body.issued).toBe(223); // the compensation: ceil(2000 / 0.9) - 2000
    expect(q1.body.reconciled).toBe(true);
    expect((await t.request('GET', '/api/v1/reports/points-health?quarter=2026Q4')).body.noDevaluation).toBe(true);
    expect(await t.verify()).toEqual([]);
  });
});
