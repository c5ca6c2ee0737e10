import { addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * 保级 (issue 11.4) when the tier job did not run for years (the server was off): one run brings every member up
 * to date, one review per missed anniversary in order, each stored and told, until the next anniversary is in
 * the future. Over HTTP with the injected clock; a second run changes nothing.
 */
jest.setTimeout(120_000);

describe('保级: several anniversaries overdue', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  test('one run reviews each missed tier year in turn: kept then dropped, or dropped twice down to the base tier', async () => {
    t = await startTestApp({ now: '2026-03-10T04:00:00Z' });
    await addStoresAndStaff(t);
    const keeper = await loginMember(t, 'overdue-keeper');
    const faller = await loginMember(t, 'overdue-faller');
    await postPurchase(t, await staffToken(t, 'clerk-a'), keeper, 'O-K1', 250000); // gold (2500)
    await postPurchase(t, await staffToken(t, 'clerk-a'), faller, 'O-F1', 250000); // gold (2500)
    // In the first tier year the keeper earns enough to keep gold (1.5x: ¥1334 -> 2001); then nothing more.
    t.clock.set('2026-09-01T04:00:00Z');
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'overdue-keeper'), 'O-K2', 133400);

    // The job first runs again more than two years later: anniversaries 2027-03-10 and 2028-03-10 are both due.
    t.clock.set('2028-06-01T04:00:00Z');
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 1, dropped: 3, warned: 0 });
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 0, warned: 0 });

    const me = async (name: string) => (await t.request('GET', '/api/v1/me', { token: (await loginMember(t, name)).token })).body;
    // Keeper: kept gold at 2027-03-10 (2001 ≥ 2001), then 0 in 2027-28: one level down to silver from 2028-03-10.
    expect((await me('overdue-keeper')).tier).toMatchObject({ code: 'silver', since: '2028-03-10T04:00:00.000Z', reviewAt: '2029-03-10T04:00:00.000Z', yearPoints: 0 });
    // Faller: 0 in each year: gold -> silver (2027-03-10) -> bronze (2028-03-10), no review after the base tier.
    expect((await me('overdue-faller')).tier).toMatchObject({ code: 'bronze', reviewAt: null });

    // Each review is recorded and told once, in order (one notice per anniversary).
    const told = async (memberId: number) =>
      (await t.ds.query("SELECT kind, title FROM notification WHERE member_id = ? AND kind IN ('TIER_KEPT', 'TIER_DOWN') ORDER BY id", [memberId])).map((n: any) => [n.kind, n.title]);
    expect(await told(keeper.id)).toEqual([
      ['TIER_KEPT', '已保级黄金会员'],
      ['TIER_DOWN', '会员等级调整为白银'],
    ]);
    expect(await told(faller.id)).toEqual([
      ['TIER_DOWN', '会员等级调整为白银'],
      ['TIER_DOWN', '会员等级调整为青铜'],
    ]);
    const rows = await t.ds.query('SELECT member_id, version FROM member_tier WHERE member_id IN (?, ?) ORDER BY member_id', [keeper.id, faller.id]);
    expect(rows.map((r: any) => Number(r.version))).toEqual([3, 3]); // the upgrade, then two reviews each

    // The back-office member page shows the stored tier, since, review date and the year's points vs the threshold.
    const service = await staffToken(t, 'service');
    const page = async (id: number) => (await t.request('GET', `/api/v1/admin/members/${id}`, { token: service })).body.tier;
    expect(await page(keeper.id)).toMatchObject({ code: 'silver', since: '2028-03-10T04:00:00.000Z', reviewAt: '2029-03-10T04:00:00.000Z', yearPoints: 0, keepPoints: 501, recorded: true });
    expect(await page(faller.id)).toMatchObject({ code: 'bronze', reviewAt: null, yearPoints: 0, keepPoints: null, recorded: true });
    // A purchase in the new tier year moves the year's points (silver 1.2x: ¥100 -> 120).
    await postPurchase(t, await staffToken(t, 'clerk-a'), await loginMember(t, 'overdue-keeper'), 'O-K3', 10000);
    expect(await page(keeper.id)).toMatchObject({ code: 'silver', yearPoints: 120, keepPoints: 501 });
    expect(await t.verify()).toEqual([]);
  });
});
