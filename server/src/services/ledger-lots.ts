import type { EntityManager } from 'typeorm';
import type { LotView } from '@jifen/shared';
import type { PointsLot } from '../db/entities';
import { select } from '../db/write-batch';

/** Lots read per page by a debit. */
export const LOT_PAGE = 20;

const LOT_COLUMNS = 'id, member_id, entry_id, amount, remaining, earned_at, activates_at, expires_at, ref_type, ref_id';

interface LotRow {
  id: unknown;
  member_id: unknown;
  entry_id: unknown;
  amount: unknown;
  remaining: unknown;
  earned_at: unknown;
  activates_at: unknown;
  expires_at: unknown;
  ref_type: string | null;
  ref_id: string | null;
}

/** A lot as the driver returns it (MySQL answers BIGINT as text), as numbers. */
function toLot(r: LotRow): PointsLot {
  return {
    id: Number(r.id),
    memberId: Number(r.member_id),
    entryId: Number(r.entry_id),
    amount: Number(r.amount),
    remaining: Number(r.remaining),
    earnedAt: Number(r.earned_at),
    activatesAt: Number(r.activates_at),
    expiresAt: Number(r.expires_at),
    refType: r.ref_type,
    refId: r.ref_id,
  };
}

export function toView(l: PointsLot): LotView {
  return { id: l.id, remaining: l.remaining, expiresAt: l.expiresAt, activatesAt: l.activatesAt, refType: l.refType, refId: l.refId };
}

/** Every lot of the member with points left, FIFO (expiry, then id). */
export async function openLots(m: EntityManager, memberId: number): Promise<PointsLot[]> {
  const rows = await select<LotRow>(m, `SELECT ${LOT_COLUMNS} FROM points_lot WHERE member_id = ? AND remaining > 0 ORDER BY expires_at, id`, [memberId]);
  return rows.map(toLot);
}

/** The lots with these ids (any order). */
export async function lotsById(m: EntityManager, ids: number[]): Promise<PointsLot[]> {
  if (ids.length === 0) return [];
  const rows = await select<LotRow>(m, `SELECT ${LOT_COLUMNS} FROM points_lot WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return rows.map(toLot);
}

/**
 * The oldest spendable lots (FIFO: expiry, then id) until they cover `points`, read a page at a time
 * (issue 14.3): a debit reads the few lots it takes, not the member's whole history. When they do not cover
 * it, every spendable lot was read, so their sum is what is available.
 */
export async function oldestSpendable(m: EntityManager, memberId: number, points: number, now: number, firstPage?: PointsLot[]): Promise<PointsLot[]> {
  const out: PointsLot[] = [];
  let covered = 0;
  for (let last: PointsLot | undefined, first = firstPage; ; first = undefined) {
    const page = first ?? (await select<LotRow>(m, ...spendablePageSql(memberId, now, last))).map(toLot);
    out.push(...page);
    for (const l of page) covered += l.remaining;
    if (covered >= points || page.length < LOT_PAGE) return out;
    last = page[page.length - 1];
  }
}

/** The statement reading a page of spendable lots, FIFO, after `last` (for a caller that reads the first page with its lock). */
export function spendablePageSql(memberId: number, now: number, last?: PointsLot): [string, unknown[]] {
  const after = last ? ' AND (expires_at > ? OR (expires_at = ? AND id > ?))' : '';
  return [
    `SELECT ${LOT_COLUMNS} FROM points_lot WHERE member_id = ? AND expires_at > ? AND remaining > 0 AND activates_at <= ?${after} ORDER BY expires_at, id LIMIT ${LOT_PAGE}`,
    [memberId, now, now, ...(last ? [last.expiresAt, last.expiresAt, last.id] : [])],
  ];
}

/** Rows of spendablePageSql() as lots. */
export function lotsOf(rows: unknown[]): PointsLot[] {
  return (rows as LotRow[]).map(toLot);
}
