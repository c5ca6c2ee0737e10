import { healthReportResponse } from '@jifen/shared';
import { localDay } from '@jifen/shared';
import { ROLLUP } from '../../server/src/services/rollups.service';
import { verifyLedger } from '../../server/src/services/verify.service';
import { addStoresAndStaff, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * The ledger's daily rollups (issue 14.4): the catch-up job folds entries older than the lag into
 * ledger_daily behind a watermark; the health report reads rollups + the tail and shows the same figures
 * before and after a catch-up; verify reconciles the rollups with the ledger day by day, streaming members
 * in keyset pages, and finds a rollup that disagrees.
 */
const HEALTH = '/api/v1/admin/reports/health?from=2026-06-01&to=2026-06-30';

async function report(t: TestApp) {
  const res = await t.request('GET', HEALTH, { token: await staffToken(t, 'marketing') });
  expect(res.status).toBe(200);
  return healthReportResponse.parse(res.body);
}

/** ledger_daily computed straight from the ledger rows (local days of the rules' zone). */
async function rawDaily(t: TestApp, upTo: number): Promise<Record<string, [number, number]>> {
  const rows = (await t.ds.query('SELECT code, delta, created_at FROM ledger_entry WHERE id <= ?', [upTo])) as { code: string; delta: unknown; created_at: unknown }[];
  const out: Record<string, [number, number]> = {};
  for (const r of rows) {
    const key = `${localDay(new Date(Number(r.created_at)), t.config.rules.timezone)}|${r.code}|${Number(r.delta) > 0 ? 1 : 0}`;
    out[key] ??= [0, 0];
    out[key]![0] += 1;
    out[key]![1] += Number(r.delta);
  }
  return out;
}

async function rolled(t: TestApp): Promise<Record<string, [number, number]>> {
  const rows = (await t.ds.query('SELECT day, code, positive, entries, points FROM ledger_daily')) as Record<string, unknown>[];
  return Object.fromEntries(rows.map((r) => [`${String(r.day)}|${String(r.code)}|${Number(r.positive)}`, [Number(r.entries), Number(r.points)]]));
}

async function watermark(t: TestApp): Promise<number> {
  return Number(((await t.ds.query("SELECT last_id FROM rollup_watermark WHERE name = 'ledger_daily'")) as { last_id: unknown }[])[0]!.last_id);
}

describe('ledger rollups', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-14T15:30:00Z' }); // 23:30 Shanghai on the 14th
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('catch-up folds entries older than the lag, day by day in local time; the report is the same before and after', async () => {
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    await grantPoints(t, alice.id, 100);
    await grantPoints(t, bob.id, 40);
    t.clock.advance(60 * 60_000); // 00:30 on the 15th in Shanghai, still the 14th in UTC
    await grantPoints(t, alice.id, 7);
    const res = await t.request('POST', '/api/v1/me/checkins', { token: alice.token });
    expect(res.status).toBe(201);
    // The report catches up first: the two entries an hour old are folded, the two just made stay in the tail.
    const before = await report(t);
    expect(await watermark(t)).toBe(2);
    t.clock.advance(ROLLUP.lagMs + 1);
    await grantPoints(t, bob.id, 3); // young: stays in the tail
    const folded = await t.services.rollups.catchUp();
    expect(folded).toBe(2);
    const maxId = Number(((await t.ds.query('SELECT MAX(id) AS m FROM ledger_entry')) as { m: unknown }[])[0]!.m);
    expect(await watermark(t)).toBe(maxId - 1);
    expect(await rolled(t)).toEqual(await rawDaily(t, maxId - 1));
    expect(Object.keys(await rolled(t)).sort()).toEqual(['2026-06-14|ADJUST|1', '2026-06-15|ADJUST|1', '2026-06-15|EARN_CHECKIN|1']);

    const after = await report(t);
    expect(after.period.issued.total).toBe(before.period.issued.total + 3);
    expect(after.allTime.netChange).toBe(before.allTime.netChange + 3);
    expect(after.outstanding.points).toBe(Number(((await t.ds.query('SELECT SUM(balance) AS s FROM member_account')) as { s: unknown }[])[0]!.s));
    expect(after.byMonth.find((mo) => mo.month === '2026-06')!.issued).toBe(after.period.issued.total);

    // Running it again folds nothing new; once the last entry is old enough it is folded too.
    expect(await t.services.rollups.catchUp()).toBe(0);
    t.clock.advance(ROLLUP.lagMs + 1);
    expect(await t.services.rollups.catchUp()).toBe(1);
    expect(await rolled(t)).toEqual(await rawDaily(t, maxId));
    expect((await report(t)).allTime).toEqual(after.allTime);
    expect(await t.verify()).toEqual([]);
  });

  test('verify streams members in keyset pages with progress and finds a rollup that disagrees with the ledger', async () => {
    const ids: number[] = [];
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) ids.push((await loginMember(t, name)).id);
    for (const [i, id] of ids.entries()) await grantPoints(t, id, 10 + i);
    t.clock.advance(ROLLUP.lagMs + 1);
    await t.services.rollups.catchUp();
    const seen: [number, number][] = [];
    const ok = await verifyLedger(t.ds, { batch: 2, timezone: t.config.rules.timezone, progress: (done, total) => seen.push([done, total]) });
    expect(ok.problems).toEqual([]);
    expect(ok.membersChecked).toBe(5);
    expect(seen).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);

    await t.ds.query("UPDATE ledger_daily SET points = points + 1 WHERE code = 'ADJUST'");
    const bad = await verifyLedger(t.ds, { batch: 2, timezone: t.config.rules.timezone });
    expect(bad.problems).toEqual([expect.stringMatching(/^rollup 2026-06-14\|ADJUST\|1: ledger_daily has 5 entries \/ 61 points, the ledger up to entry \d+ has 5 \/ 60$/)]);

    // A balance off for one member is found in its page.
    await t.ds.query("UPDATE ledger_daily SET points = points - 1 WHERE code = 'ADJUST'");
    await t.ds.query('UPDATE member_account SET balance = balance + 1 WHERE member_id = ?', [ids[2]]);
    const off = await verifyLedger(t.ds, { batch: 2, timezone: t.config.rules.timezone });
    expect(off.problems.some((p) => p.startsWith(`member ${ids[2]}: balance`))).toBe(true);
  });
});
