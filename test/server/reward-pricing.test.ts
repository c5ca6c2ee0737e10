import { addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** Reward pricing over HTTP (issue 10.1, 10.2): the anchor price and its band, the price schedule, below-cost retirement, refresh. */
describe('reward pricing: anchor band, price schedule, below cost, refresh', () => {
  let t: TestApp;
  let mk: string;
  let key = 0;
  beforeAll(async () => {
    t = await startTestApp(); // 2026-06-15 12:00 Shanghai
    await addStoresAndStaff(t);
    mk = await staffToken(t, 'marketing');
  });
  afterAll(() => t.close());

  const create = (body: unknown) => t.request('POST', '/api/v1/admin/rewards', { token: mk, body });
  const patch = (id: number, body: unknown) => t.request('PATCH', `/api/v1/admin/rewards/${id}`, { token: mk, body });
  type Card = { id: number; pointsPrice: number; originalPointsPrice?: number };
  const shelfOf = async (token: string): Promise<Card[]> => {
    const r = await t.request('GET', '/api/v1/rewards', { token });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    return r.body.rewards;
  };
  const redeem = (token: string, rewardId: number) => t.request('POST', '/api/v1/me/redemptions', { token, body: { rewardId, quantity: 1 }, headers: { 'Idempotency-Key': `pricing-${++key}` } });
  const retiredAudits = async () => Number((await t.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'reward.retired_below_cost'"))[0].n);
  const finance = async () => {
    const r = await t.request('GET', '/api/v1/admin/reports/finance', { token: mk });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    return r.body;
  };

  test('pointsPrice defaults to the anchor price; outside the band needs a reason, kept in the history and the report', async () => {
    const plain = await create({ title: '默认价', faceValueFen: 2800, costFen: 800, stock: 5, status: 'on_sale' });
    expect(plain.status).toBe(201);
    expect(plain.body.reward).toMatchObject({ pointsPrice: 2800, pointsPriceInForce: 2800, priceSchedule: [] });

    const before = await countRows(t, 'reward');
    const refused = await create({ title: '低价', faceValueFen: 1000, costFen: 100, pointsPrice: 300, stock: 5, status: 'on_sale' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PRICE_REASON_REQUIRED' });
    expect(refused.body.error.message).toBeTruthy();
    expect(await countRows(t, 'reward')).toBe(before);
    // Inside the band (±20 %) no reason is asked.
    expect((await create({ title: '带内', faceValueFen: 1000, costFen: 100, pointsPrice: 1200, stock: 5 })).status).toBe(201);

    const ok = await create({ title: '低价', faceValueFen: 1000, costFen: 100, pointsPrice: 300, stock: 5, status: 'on_sale', priceReason: '新品推广' });
    expect(ok.status).toBe(201);
    const id = ok.body.reward.id;
    const detail = await t.request('GET', `/api/v1/admin/rewards/${id}`, { token: mk });
    expect(detail.body.priceHistory[0]).toMatchObject({ pointsPrice: 300, reason: '新品推广' });
    expect((await finance()).offAnchorRewards).toEqual(expect.arrayContaining([expect.objectContaining({ id, pointsPrice: 300, anchorPoints: 1000, reason: '新品推广' })]));

    // A patch to a price outside the band: refused without a reason, nothing changed; accepted with one.
    const p1 = await patch(plain.body.reward.id, { pointsPrice: 5000 });
    expect(p1.status).toBe(409);
    expect(p1.body.error.code).toBe('PRICE_REASON_REQUIRED');
    expect((await t.request('GET', `/api/v1/admin/rewards/${plain.body.reward.id}`, { token: mk })).body.reward.pointsPrice).toBe(2800);
    const p2 = await patch(plain.body.reward.id, { pointsPrice: 5000, priceReason: '限量稀缺' });
    expect(p2.status).toBe(200);
    expect(p2.body.reward.pointsPrice).toBe(5000);
    // Steps must ascend.
    const bad = await patch(id, { priceSchedule: [{ from: '2026-09-01T00:00', pointsPrice: 300 }, { from: '2026-08-01T00:00', pointsPrice: 300 }], priceReason: 'x' });
    expect(bad.status).toBe(400);
  });

  test('a price step applies on its date, on the shelf and in redemption; a below-cost step retires the reward', async () => {
    const member = await loginMember(t, 'pricing-shelf');
    await grantPoints(t, member.id, 10_000);
    const skim = await create({ title: '撇脂', faceValueFen: 1000, costFen: 300, pointsPrice: 1000, stock: 10, status: 'on_sale', priceSchedule: [{ from: '2026-07-01T00:00', pointsPrice: 900 }] });
    expect(skim.status).toBe(201);
    const loss = await create({
      title: '亏本',
      faceValueFen: 1000,
      costFen: 600,
      pointsPrice: 1000,
      stock: 10,
      status: 'on_sale',
      priceSchedule: [{ from: '2026-07-01T00:00', pointsPrice: 500 }],
      priceReason: '清仓',
    });
    expect(loss.status).toBe(201);
    const [sid, lid] = [skim.body.reward.id, loss.body.reward.id];

    t.clock.set('2026-06-30T15:59:00Z'); // 23:59 the day before, Shanghai (tokens are signed in again after each jump)
    let shelf = await shelfOf((await loginMember(t, 'pricing-shelf')).token);
    expect(shelf.find((r) => r.id === sid)).toMatchObject({ pointsPrice: 1000 });
    expect(shelf.find((r) => r.id === sid)!.originalPointsPrice).toBeUndefined();
    expect(shelf.map((r) => r.id)).toContain(lid);

    t.clock.set('2026-06-30T16:00:00Z'); // 2026-07-01 00:00 Shanghai
    mk = await staffToken(t, 'marketing');
    member.token = (await loginMember(t, 'pricing-shelf')).token;
    shelf = await shelfOf(member.token);
    expect(shelf.find((r) => r.id === sid)).toMatchObject({ pointsPrice: 900, originalPointsPrice: 1000 });
    const red = await redeem(member.token, sid);
    expect(red.status).toBe(201);
    expect(red.body.redemption.points).toBe(900);

    // 500 points are worth ¥5 at the anchor, under the ¥6 cost: retired by the system on read, with an audit row.
    expect(shelf.map((r) => r.id)).not.toContain(lid);
    const detail = await t.request('GET', `/api/v1/admin/rewards/${lid}`, { token: mk });
    expect(detail.body.reward.status).toBe('retired');
    expect(await retiredAudits()).toBe(1);
    expect((await redeem(member.token, lid)).status).toBe(409);
    expect((await finance()).retiredBelowCost).toEqual([expect.objectContaining({ id: lid, title: '亏本' })]);
    await shelfOf(member.token); // read again: retired once
    expect(await retiredAudits()).toBe(1);
  });

  test('a reward unchanged for six months is due for a refresh', async () => {
    const fresh = await create({ title: '常青', faceValueFen: 500, costFen: 100, stock: 5, status: 'on_sale' });
    expect((await finance()).refreshDue.map((r: { id: number }) => r.id)).not.toContain(fresh.body.reward.id);
    t.clock.advance(184 * 86_400_000);
    mk = await staffToken(t, 'marketing');
    expect((await finance()).refreshDue.map((r: { id: number }) => r.id)).toContain(fresh.body.reward.id);
  });
});
