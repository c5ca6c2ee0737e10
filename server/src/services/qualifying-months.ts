import type { EntityManager } from 'typeorm';
import { select, type WriteBatch } from '../db/write-batch';

/** Codes that count towards tier qualification (earned points, net of refund reversals). */
export const QUALIFYING_CODES = ['EARN_PURCHASE', 'EARN_CHECKIN', 'EARN_TASK', 'EARN_CAMPAIGN_BONUS', 'REFUND_REVERSAL'] as const;
const QUALIFYING = new Set<string>(QUALIFYING_CODES);

export function isQualifying(code: string): boolean {
  return QUALIFYING.has(code);
}

/**
 * Qualifying points kept per member and month (issue 14.3): `member_qualifying_month` holds, for each member and
 * month, the sum of the member's qualifying entries created in it, written in the same transaction as the entries
 * (the write batch's last statements, one per member and month). A tier read then sums at most 13 bucket rows
 * plus the entries of the window's partial edge months (one month of entries at most on each side), so nothing on
 * a request path grows with a member's history, and the figure is exactly the ledger's.
 *
 * The months are Asia/Shanghai months (UTC+8, no DST since 1991), whatever the rules' timezone: the buckets are a
 * storage partition only (the edges are summed from the ledger on the same boundaries), so a change of the rules'
 * zone never makes them wrong. `npm run verify` checks every bucket against the ledger.
 */
export const BUCKET_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM' of the bucket an entry created at `ms` belongs to. */
export function monthOf(ms: number): string {
  return new Date(ms + BUCKET_OFFSET_MS).toISOString().slice(0, 7);
}

/** The first instant (epoch ms) of the bucket month `ms` falls in, and of the next one. */
export function monthBounds(ms: number): { start: number; next: number } {
  const d = new Date(ms + BUCKET_OFFSET_MS);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  return { start: Date.UTC(y, mo, 1) - BUCKET_OFFSET_MS, next: Date.UTC(y, mo + 1, 1) - BUCKET_OFFSET_MS };
}

/** The upsert adding points to one bucket, in the dialect of the connection. */
export function bucketUpsertSql(mysql: boolean, rows = 1): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?)').join(', ');
  const insert = `INSERT INTO member_qualifying_month (member_id, month, points) VALUES ${values}`;
  return mysql ? `${insert} ON DUPLICATE KEY UPDATE points = points + VALUES(points)` : `${insert} ON CONFLICT (member_id, month) DO UPDATE SET points = points + excluded.points`;
}

const pendingOf = new WeakMap<WriteBatch, Map<string, { memberId: number; month: string; points: number }>>();

/**
 * Adds a qualifying entry's delta to its bucket when the batch runs (with the entry, in its transaction). Several
 * entries of one member and month in a batch (a purchase's points and a campaign bonus) make one statement.
 */
export function queueQualifying(batch: WriteBatch, memberId: number, createdAt: number, delta: number): void {
  let pending = pendingOf.get(batch);
  if (!pending) pendingOf.set(batch, (pending = new Map()));
  const month = monthOf(createdAt);
  const key = `${memberId}|${month}`;
  const known = pending.get(key);
  if (known) {
    known.points += delta;
    return;
  }
  const bucket = { memberId, month, points: delta };
  pending.set(key, bucket);
  batch.atFlush(`qualifying:${key}`, () => {
    pending!.delete(key);
    if (bucket.points !== 0) batch.exec(bucketUpsertSql(batch.mysql), [bucket.memberId, bucket.month, bucket.points]);
  });
}

/** The buckets of many entries at once, in one statement (bulk writers outside a write batch). */
export async function addQualifying(m: EntityManager, entries: { memberId: number; code: string; delta: number; createdAt: number }[]): Promise<void> {
  const sums = new Map<string, [number, string, number]>();
  for (const e of entries) {
    if (!isQualifying(e.code)) continue;
    const month = monthOf(e.createdAt);
    const v = sums.get(`${e.memberId}|${month}`) ?? [e.memberId, month, 0];
    v[2] += e.delta;
    sums.set(`${e.memberId}|${month}`, v);
  }
  if (sums.size === 0) return;
  await m.query(bucketUpsertSql(m.connection.options.type === 'mysql', sums.size), [...sums.values()].flat());
}

const CODES_SQL = QUALIFYING_CODES.map((c) => `'${c}'`).join(', ');
const NO_MONTH_ABOVE = '9999-99';

/**
 * A member's qualifying points created in [from, until) (`until` null: no end), in one statement: the whole months
 * between from the buckets, the partial months at either edge from the ledger (its (member_id, created_at) index).
 */
export async function qualifyingBetween(m: EntityManager, memberId: number, from: number, until: number | null): Promise<number> {
  const first = monthBounds(from);
  const ledger = `SELECT COALESCE(SUM(delta), 0) FROM ledger_entry WHERE member_id = ? AND code IN (${CODES_SQL})`;
  if (until !== null && until <= first.next) {
    const [row] = await select<{ total: unknown }>(m, `SELECT (${ledger} AND created_at >= ? AND created_at < ?) AS total`, [memberId, from, Math.max(from, until)]);
    return Number(row?.total ?? 0);
  }
  // The last partial month: from its start up to `until` (empty when `until` is a month's first instant).
  const last = until === null ? null : monthBounds(until).start;
  const [row] = await select<{ total: unknown }>(
    m,
    `SELECT (${ledger} AND ((created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?)))
          + (SELECT COALESCE(SUM(points), 0) FROM member_qualifying_month WHERE member_id = ? AND month > ? AND month < ?) AS total`,
    [memberId, from, first.next, last ?? 0, until ?? 0, memberId, monthOf(from), last === null ? NO_MONTH_ABOVE : monthOf(last)],
  );
  return Number(row?.total ?? 0);
}
