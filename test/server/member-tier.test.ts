import { addReward, addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Tiers that keep their word (保级, issue 11.4) over HTTP with the injected clock: a member is lifted at once
 * by a purchase (TIER_UP), warned "再得 N 分保级" 30 days before her anniversary (home line and one notice),
 * loses the tier at the anniversary when the tier year fell short (TIER_DOWN), and regains it by earning. The
 * till's multiplier and the shelf's minTier follow the stored tier. The job is idempotent.
 */
jest.setTimeout(120_000);

describe('保级: a tier kept, lost at the anniversary and regained', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  const me = async (tok: { token: string }) => (await t.request('GET', '/api/v1/me', { token: tok.token })).body;
  const kinds = async (tok: { token: string }) => (await t.request('GET', '/api/v1/me/notifications?limit=50', { token: tok.token })).body.notifications.map((n: any) => n.kind).reverse();
  const shelfReason = async (tok: { token: string }, id: number) => (await t.request('GET', '/api/v1/rewards', { token: tok.token })).body.rewards.find((r: any) => r.id === id).eligibility.reason;

  test('lift, warn once, drop one level at the anniversary, regain by earning', async () => {
    t = await startTestApp({ now: '2026-03-10T04:00:00Z' });
    await addStoresAndStaff(t);
    const reward = await addReward(t, { pointsPrice: 10, stock: 5, title: '白银专享', minTier: 'silver' });
    let m = await loginMember(t, 'tier-member');
    const relogin = async () => (m = await loginMember(t, 'tier-member'));
    expect((await me(m)).tier).toMatchObject({ code: 'bronze', reviewAt: null, atRisk: null });
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 0, warned: 0 }); // new members have a row

    // ¥600 -> 600 qualifying points: silver at once, its tier year starts now, anniversary 2027-03-10.
    await postPurchase(t, await staffToken(t, 'clerk-a'), m, 'T-1', 60000);
    expect((await me(m)).tier).toMatchObject({ code: 'silver', since: '2026-03-10T04:00:00.000Z', reviewAt: '2027-03-10T04:00:00.000Z', yearPoints: 0, qualifyingPoints: 600, atRisk: null });
    expect(await kinds(m)).toEqual(['PURCHASE', 'TIER_UP']);
    expect(await shelfReason(m, reward.id)).not.toBe('TIER_TOO_LOW');

    // 31 days before: nothing yet. 30 days before: the line on home and one notice, once.
    t.clock.set('2027-02-07T04:00:00Z');
    await relogin();
    expect(await t.services.tiers.run()).toMatchObject({ warned: 0 });
    expect((await me(m)).tier.atRisk).toBeNull();
    t.clock.set('2027-02-08T04:00:00Z');
    expect(await t.services.tiers.run()).toMatchObject({ warned: 1 });
    expect(await t.services.tiers.run()).toMatchObject({ warned: 0 });
    await relogin();
    expect((await me(m)).tier.atRisk).toEqual({ pointsNeeded: 501, daysLeft: 30, text: '再得 501 分保级白银' });
    const notes = (await t.request('GET', '/api/v1/me/notifications?limit=1', { token: m.token })).body.notifications;
    expect(notes[0]).toMatchObject({ kind: 'TIER_AT_RISK', title: '再得 501 分保级白银' });

    // A ¥100 purchase as silver earns 1.2x = 120: the figure moves, no second warning.
    await postPurchase(t, await staffToken(t, 'clerk-a'), m, 'T-2', 10000);
    expect((await me(m)).tier).toMatchObject({ yearPoints: 120, atRisk: { pointsNeeded: 381 } });
    expect(await t.services.tiers.run()).toMatchObject({ warned: 0 });

    // The anniversary: 120 < 501, one level down to bronze; running again changes nothing.
    t.clock.set('2027-03-10T05:00:00Z');
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 1, warned: 0 });
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 0, warned: 0 });
    await relogin();
    expect((await me(m)).tier).toMatchObject({ code: 'bronze', reviewAt: null, atRisk: null, qualifyingPoints: 120 });
    expect((await kinds(m)).slice(-2)).toEqual(['PURCHASE', 'TIER_DOWN']);
    expect(await shelfReason(m, reward.id)).toBe('TIER_TOO_LOW');
    // The till reads the stored tier: ¥100 as bronze earns 100, no TIER line.
    const bronze = await postPurchase(t, await staffToken(t, 'clerk-a'), m, 'T-3', 10000);
    expect(bronze.pointsAwarded).toBe(100);

    // Regained by earning: ¥400 more -> 620 over the window: silver again at once, with a TIER_UP notice.
    t.clock.set('2027-03-20T04:00:00Z');
    await relogin();
    await postPurchase(t, await staffToken(t, 'clerk-a'), m, 'T-4', 40000);
    expect((await me(m)).tier).toMatchObject({ code: 'silver', since: '2027-03-20T04:00:00.000Z', reviewAt: '2028-03-20T04:00:00.000Z', qualifyingPoints: 620 });
    expect((await kinds(m)).slice(-2)).toEqual(['PURCHASE', 'TIER_UP']);
    expect(await shelfReason(m, reward.id)).not.toBe('TIER_TOO_LOW');
    const [row] = await t.ds.query('SELECT code, version FROM member_tier WHERE member_id = ?', [m.id]);
    expect(row.code).toBe('silver');
    expect(await t.verify()).toEqual([]);
  });

  test('kept when the year reaches the threshold; by_points drops to what the points say; a member without a row is backfilled once', async () => {
    t = await startTestApp({ now: '2026-03-10T04:00:00Z', rules: (r) => ({ ...r, tierRetention: { mode: 'by_points', warnDays: 30 } }) });
    await addStoresAndStaff(t);
    const clerk = await staffToken(t, 'clerk-a');
    const keeper = await loginMember(t, 'keeper');
    const faller = await loginMember(t, 'faller');
    await postPurchase(t, clerk, keeper, 'K-1', 60000); // silver
    await postPurchase(t, clerk, faller, 'F-1', 250000); // gold (2500 points)
    expect((await me(faller)).tier.code).toBe('gold');
    // During the year: the keeper earns 501 after her upgrade (silver 1.2x: ¥418 -> 501), the faller 600 (gold 1.5x: ¥400).
    t.clock.set('2026-09-01T04:00:00Z');
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'keeper'), 'K-2', 41800);
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'faller'), 'F-2', 40000);
    t.clock.set('2027-03-11T04:00:00Z');
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 1, dropped: 1, warned: 0 });
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 0, warned: 0 });
    const k = await me(await loginMember(t, 'keeper'));
    expect(k.tier).toMatchObject({ code: 'silver', since: '2026-03-10T04:00:00.000Z', reviewAt: '2028-03-10T04:00:00.000Z' });
    const f = await me(await loginMember(t, 'faller'));
    expect(f.tier).toMatchObject({ code: 'silver', reviewAt: '2028-03-10T04:00:00.000Z' }); // by_points: 600 says silver
    const told = await t.ds.query("SELECT kind, title FROM notification WHERE kind IN ('TIER_KEPT', 'TIER_DOWN') ORDER BY id");
    expect(told.map((n: any) => [n.kind, n.title])).toEqual([
      ['TIER_KEPT', '已保级白银会员'],
      ['TIER_DOWN', '会员等级调整为白银'],
    ]);

    // A member from before stored tiers (no row): GET /me reads what the rules say, the job stores it once.
    await t.ds.query('DELETE FROM member_tier WHERE member_id = ?', [f.member.id]);
    const again = await loginMember(t, 'faller');
    expect((await me(again)).tier).toMatchObject({ code: 'silver', qualifyingPoints: 600 }); // F-2's 600 in the last 12 months, F-1 out of the window
    expect(await t.services.tiers.run()).toMatchObject({ backfilled: 1 });
    expect(await t.services.tiers.run()).toMatchObject({ backfilled: 0 });
    const [row] = await t.ds.query('SELECT code, review_at FROM member_tier WHERE member_id = ?', [f.member.id]);
    expect(row.code).toBe('silver');
  });

  test('a refund takes back the tier its order lifted the member to (to the tier held before, with its own year), not an earned one', async () => {
    t = await startTestApp({ now: '2026-03-10T04:00:00Z' });
    await addStoresAndStaff(t);
    const clerk = await staffToken(t, 'clerk-a');
    const refund = async (orderNo: string, amountFen: number) =>
      expect((await t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: clerk, body: { amountFen }, headers: { 'Idempotency-Key': `refund-${orderNo}` } })).status).toBe(201);
    // Bronze -> gold by one purchase, refunded in full: bronze again, told.
    const a = await loginMember(t, 'refund-a');
    await postPurchase(t, clerk, a, 'RA-1', 250000);
    expect((await me(a)).tier.code).toBe('gold');
    await refund('RA-1', 250000);
    expect((await me(a)).tier).toMatchObject({ code: 'bronze', reviewAt: null });
    expect((await kinds(a)).slice(-3)).toEqual(['TIER_UP', 'REFUND_REVERSAL', 'TIER_DOWN']);

    // Silver since March; in May a big order lifts her to gold, refunded: silver with March's anniversary.
    const b = await loginMember(t, 'refund-b');
    await postPurchase(t, clerk, b, 'RB-1', 60000);
    t.clock.set('2026-05-10T04:00:00Z');
    const c2 = await staffToken(t, 'clerk-a');
    await postPurchase(t, c2, await loginMember(t, 'refund-b'), 'RB-2', 200000); // silver 1.2x: 2400 -> 3000 over the window
    const b2 = await loginMember(t, 'refund-b');
    expect((await me(b2)).tier).toMatchObject({ code: 'gold', reviewAt: '2027-05-10T04:00:00.000Z' });
    const res = await t.request('POST', '/api/v1/till/purchases/RB-2/refunds', { token: c2, body: { amountFen: 200000 }, headers: { 'Idempotency-Key': 'refund-RB-2' } });
    expect(res.status).toBe(201);
    expect((await me(b2)).tier).toMatchObject({ code: 'silver', since: '2026-03-10T04:00:00.000Z', reviewAt: '2027-03-10T04:00:00.000Z', qualifyingPoints: 600 });
    // A tier kept at its anniversary keeps its word: refunding an order of the year before does not touch it.
    const c = await loginMember(t, 'refund-c');
    await postPurchase(t, c2, c, 'RC-1', 60000); // silver from 2026-05-10
    t.clock.set('2026-11-10T04:00:00Z');
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'refund-c'), 'RC-2', 50000); // 600 in the tier year
    t.clock.set('2027-05-11T04:00:00Z');
    expect(await t.services.tiers.run()).toMatchObject({ kept: 1 });
    const c3 = await staffToken(t, 'clerk-a');
    expect((await t.request('POST', '/api/v1/till/purchases/RC-2/refunds', { token: c3, body: { amountFen: 50000 }, headers: { 'Idempotency-Key': 'refund-RC-2' } })).status).toBe(201);
    expect((await me(await loginMember(t, 'refund-c'))).tier).toMatchObject({ code: 'silver', reviewAt: '2028-05-10T04:00:00.000Z' });
    expect(await t.verify()).toEqual([]);
  });
});
