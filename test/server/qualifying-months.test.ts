import { tierWindowStart } from '@jifen/shared';
import { MemberTiers } from '../../server/src/services/member-tier';
import { monthOf, QUALIFYING_CODES } from '../../server/src/services/qualifying-months';
import { QualifyingMonths1735700000000 } from '../../server/src/db/migrations/1735700000000-qualifying-months';
import { addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Qualifying points kept per member and month (issue 14.3), over HTTP with the injected clock, on SQLite and
 * (TEST_DB=mysql) MariaDB: purchases, a check-in, a review task and refunds (reversing both) on either side of a
 * Shanghai month boundary leave member_qualifying_month equal to the ledger, bucket by bucket; the tier's rolling
 * and year figures read from the buckets equal the plain SUM over the ledger at window edges inside, at and
 * outside the months; verify catches a tampered or missing bucket; the migration's backfill builds the same rows.
 */
jest.setTimeout(120_000);

const REVIEW = '咖啡很香,店员很热情,下次还来。';
const codes = QUALIFYING_CODES.map((c) => `'${c}'`).join(', ');

async function kept(t: TestApp): Promise<Record<string, number>> {
  const rows = (await t.ds.query('SELECT member_id, month, points FROM member_qualifying_month ORDER BY member_id, month')) as Record<string, unknown>[];
  return Object.fromEntries(rows.filter((r) => Number(r.points) !== 0).map((r) => [`${Number(r.member_id)}|${String(r.month)}`, Number(r.points)]));
}

/** The buckets as the ledger says they should be (months of UTC+8, computed here in JS). */
async function fromLedger(t: TestApp): Promise<Record<string, number>> {
  const rows = (await t.ds.query(`SELECT member_id, created_at, delta FROM ledger_entry WHERE code IN (${codes}) ORDER BY id`)) as Record<string, unknown>[];
  const out: Record<string, number> = {};
  for (const r of rows) {
    const key = `${Number(r.member_id)}|${monthOf(Number(r.created_at))}`;
    out[key] = (out[key] ?? 0) + Number(r.delta);
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== 0));
}

/** The figure as it was computed before the buckets: one SUM over the member's entries in [from, until). */
async function plainSum(t: TestApp, memberId: number, from: number, until: number | null): Promise<number> {
  const [row] = (await t.ds.query(`SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE member_id = ? AND code IN (${codes}) AND created_at >= ? AND created_at < ?`, [
    memberId,
    from,
    until ?? Number.MAX_SAFE_INTEGER,
  ])) as { s: unknown }[];
  return Number(row!.s);
}

describe('qualifying points kept per member and month', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  test('buckets follow purchases, check-ins, tasks and refunds across a month boundary; tier figures equal the ledger; verify and the backfill agree', async () => {
    // 2026-03-31 23:30 in Shanghai (15:30 UTC): still March there.
    t = await startTestApp({ now: '2026-03-31T15:30:00Z' });
    await addStoresAndStaff(t);
    const clerk = () => staffToken(t, 'clerk-a');
    const login = (name: string) => loginMember(t, name);
    const a = await login('q-alice');
    const b = await login('q-bob');
    await postPurchase(t, await clerk(), a, 'Q-1', 30000); // 300, March
    expect((await t.request('POST', '/api/v1/me/checkins', { token: a.token })).status).toBe(201);
    await postPurchase(t, await clerk(), b, 'Q-2', 12345);
    expect(await kept(t)).toEqual(await fromLedger(t));
    expect(Object.keys(await kept(t)).sort()).toEqual([`${a.id}|2026-03`, `${b.id}|2026-03`]);

    // One hour later it is April 1st in Shanghai (still March 31st in UTC): new buckets.
    t.clock.set('2026-03-31T16:30:00Z');
    const a2 = await login('q-alice');
    await postPurchase(t, await clerk(), a2, 'Q-3', 20000);
    expect((await t.request('POST', '/api/v1/me/tasks/review', { token: a2.token, body: { orderNo: 'Q-3', text: REVIEW } })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/checkins', { token: a2.token })).status).toBe(201);
    // March's order refunded in part in April: the reversal counts in April's bucket (when it was written).
    const refund = async (orderNo: string, amountFen: number) =>
      expect((await t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: await clerk(), body: { amountFen }, headers: { 'Idempotency-Key': `refund-${orderNo}-${amountFen}` } })).status).toBe(201);
    await refund('Q-1', 10000);
    // Q-3 refunded in full: its points and the review task's are both reversed.
    await refund('Q-3', 20000);
    const buckets = await kept(t);
    expect(buckets).toEqual(await fromLedger(t));
    expect(Object.keys(buckets).sort()).toEqual([`${a.id}|2026-03`, `${a.id}|2026-04`, `${b.id}|2026-03`].sort());
    const entries = (await t.ds.query('SELECT code FROM ledger_entry WHERE member_id = ? ORDER BY id', [a.id])) as { code: string }[];
    expect(new Set(entries.map((e) => e.code))).toEqual(new Set(['EARN_PURCHASE', 'EARN_CHECKIN', 'EARN_TASK', 'REFUND_REVERSAL']));
    expect(await t.verify()).toEqual([]);

    // A month later, another purchase; then the tier figures from buckets against the plain SUM, at many edges.
    t.clock.set('2026-05-20T04:00:00Z');
    await postPurchase(t, await clerk(), await login('q-alice'), 'Q-4', 7700);
    expect(await kept(t)).toEqual(await fromLedger(t));
    const tiers = new MemberTiers(t.services.tx, t.config.rules, t.clock);
    const m = t.services.tx.manager;
    const firstAt = Date.parse('2026-03-31T15:30:00Z');
    const aprilAt = Date.parse('2026-03-31T16:30:00Z');
    const marchStart = Date.parse('2026-02-28T16:00:00Z');
    const aprilStart = Date.parse('2026-03-31T16:00:00Z');
    // Rolling window ending at `now`: starts inside March, at April's first instant, just before and after entries, later.
    for (const now of [
      Date.parse('2027-03-31T15:00:00Z'), // window from 2026-03-31 23:00 Shanghai: all of it
      Date.parse('2027-03-31T15:30:00Z'), // exactly at the first entries
      Date.parse('2027-03-31T15:30:00.001Z'), // just after: March's entries out
      aprilStart + 365 * 86_400_000, // at April's first instant
      Date.parse('2027-04-15T04:00:00Z'),
      Date.parse('2027-05-20T04:00:00Z'),
      Date.parse('2027-06-01T00:00:00Z'),
      Date.parse('2026-06-01T00:00:00Z'),
    ]) {
      t.clock.set(new Date(now).toISOString());
      const since = tierWindowStart(new Date(now), t.config.rules).getTime();
      for (const id of [a.id, b.id]) expect([id, now, await tiers.rollingPoints(m, id, now)]).toEqual([id, now, await plainSum(t, id, since, null)]);
    }
    // Tier years (after yearFrom, up to min(now, reviewAt)): in one month, across months, edges on entries and month starts.
    const spans: [number, number | null, number][] = [
      [firstAt - 1, null, Date.parse('2026-05-21T00:00:00Z')],
      [firstAt, null, Date.parse('2026-05-21T00:00:00Z')],
      [marchStart, aprilStart, Date.parse('2026-05-21T00:00:00Z')],
      [marchStart, aprilAt, Date.parse('2026-05-21T00:00:00Z')],
      [firstAt - 1, aprilAt - 1, Date.parse('2026-05-21T00:00:00Z')],
      [aprilStart - 1, Date.parse('2026-05-20T04:00:00Z'), Date.parse('2027-01-01T00:00:00Z')],
      [aprilStart, Date.parse('2026-05-20T03:59:59.999Z'), Date.parse('2027-01-01T00:00:00Z')],
      [marchStart - 86_400_000 * 40, null, Date.parse('2026-04-10T00:00:00Z')],
      [aprilAt, aprilAt, Date.parse('2026-05-21T00:00:00Z')],
    ];
    for (const [yearFrom, reviewAt, now] of spans) {
      const until = reviewAt === null ? now : Math.min(now, reviewAt);
      const got = await tiers.yearPoints(m, a.id, { yearFrom, reviewAt }, now);
      expect([yearFrom, reviewAt, got]).toEqual([yearFrom, reviewAt, await plainSum(t, a.id, yearFrom + 1, until + 1)]);
    }

    // verify catches a tampered bucket, a missing one and a stray one.
    await t.ds.query('UPDATE member_qualifying_month SET points = points + 1 WHERE member_id = ? AND month = ?', [a.id, '2026-04']);
    const april = (await fromLedger(t))[`${a.id}|2026-04`]!;
    expect(await t.verify()).toEqual([`member ${a.id}: qualifying points of 2026-04 kept as ${april + 1}, the ledger has ${april}`]);
    await t.ds.query('UPDATE member_qualifying_month SET points = points - 1 WHERE member_id = ? AND month = ?', [a.id, '2026-04']);
    await t.ds.query('DELETE FROM member_qualifying_month WHERE member_id = ?', [b.id]);
    await t.ds.query('INSERT INTO member_qualifying_month (member_id, month, points) VALUES (?, ?, ?)', [b.id, '2025-12', 5]);
    expect((await t.verify()).sort()).toEqual([`member ${b.id}: qualifying points of 2025-12 kept as 5, the ledger has 0`, `member ${b.id}: qualifying points of 2026-03 kept as 0, the ledger has 123`]);

    // The migration's backfill (months computed in SQL) builds exactly the buckets the writes kept.
    const before = await fromLedger(t);
    const qr = t.ds.createQueryRunner();
    try {
      const migration = new QualifyingMonths1735700000000();
      await migration.down(qr);
      await migration.up(qr);
    } finally {
      await qr.release();
    }
    expect(await kept(t)).toEqual(before);
    expect(await t.verify()).toEqual([]);
  });
});

