import type { EntityManager } from 'typeorm';
import { planDebit, planRestore, planReversal, spendablePoints } from '@jifen/shared';
import { AppError, invariant } from '../errors';
import type { LedgerEntry, MemberAccount, PointsLot } from '../db/entities';
import { select, type WriteBatch } from '../db/write-batch';
import { versionFor, type LedgerContext } from './ledger-credits';
import { lotsById, oldestSpendable, openLots, toView } from './ledger-lots';
import { appendEntry, moveLots, type EntryInput, type PendingEntry } from './ledger-writes';

/** A debit FIFO over spendable lots, queued in the batch; INSUFFICIENT_POINTS (nothing queued) when they do not cover it. */
export async function debitInto(
  m: EntityManager,
  batch: WriteBatch,
  ctx: LedgerContext,
  account: MemberAccount,
  points: number,
  input: EntryInput,
  firstPage?: { lots: PointsLot[]; now: number },
): Promise<PendingEntry> {
  invariant(Number.isSafeInteger(points) && points > 0, `debit of ${points}`);
  const now = firstPage?.now ?? ctx.clock().getTime();
  // Only the oldest lots it takes (issue 14.3); enough to cover the debt too, so `available` is exact when short.
  // The first page may come with the caller's lock statement (read under the lock, at `now`).
  const lots = await oldestSpendable(m, account.memberId, points + account.debt, now, firstPage?.lots);
  const views = lots.map(toView);
  // The same rule /me and the shelf show (issue 13.1): spendable lots less debt.
  const available = spendablePoints(views, now, account.debt);
  if (points > available) throw new AppError('INSUFFICIENT_POINTS', { needed: points, available });
  const plan = planDebit(views, points, now);
  invariant(plan.ok, `debit of ${points} within ${available} spendable`);
  const version = await versionFor(m, ctx);
  const entry = appendEntry(batch, account, -points, input, now, version);
  moveLots(batch, account.memberId, entry.ref, plan.takes.map((t) => ({ lotId: t.lotId, delta: -t.amount })), lots);
  return entry;
}

/**
 * A reversal of earned points (refund), queued: the referenced lots first, then others FIFO; what is
 * already spent becomes debt that later credits repay.
 */
export async function reverseInto(
  m: EntityManager,
  batch: WriteBatch,
  ctx: LedgerContext,
  account: MemberAccount,
  points: number,
  own: { refType: string; refId: string },
  input: EntryInput,
): Promise<PendingEntry> {
  invariant(Number.isSafeInteger(points) && points > 0, `reversal of ${points}`);
  const now = ctx.clock().getTime();
  const lots = await openLots(m, account.memberId);
  const plan = planReversal(lots.map(toView), points, now, own);
  const entry = appendEntry(batch, account, -points, input, now, await versionFor(m, ctx));
  moveLots(batch, account.memberId, entry.ref, plan.takes.map((t) => ({ lotId: t.lotId, delta: -t.amount })), lots);
  account.debt += plan.debt;
  return entry;
}

/** What each lot gave to these entries, less what was put back (lot id → points), from their movements. */
async function takenBy(m: EntityManager, entryIds: number[]): Promise<Map<number, number>> {
  const taken = new Map<number, number>();
  if (entryIds.length === 0) return taken;
  const rows = await select<{ lot_id: unknown; delta: unknown }>(m, `SELECT lot_id, delta FROM lot_movement WHERE entry_id IN (${entryIds.map(() => '?').join(', ')}) ORDER BY id`, entryIds);
  for (const r of rows) taken.set(Number(r.lot_id), (taken.get(Number(r.lot_id)) ?? 0) - Number(r.delta));
  return taken;
}

/**
 * Gives a debit's points back, queued. Like any credit they repay debt first (issue 13.1); the rest goes back into
 * the very lots it took them from (their original expiry kept), latest-expiring first.
 */
export async function restoreInto(m: EntityManager, batch: WriteBatch, ctx: LedgerContext, account: MemberAccount, original: LedgerEntry, input: EntryInput): Promise<PendingEntry> {
  invariant(original.memberId === account.memberId && original.delta < 0, 'restore of a debit of this member');
  const now = ctx.clock().getTime();
  const taken = await takenBy(m, [original.id]);
  const total = [...taken.values()].reduce((s, v) => s + v, 0);
  invariant(total === -original.delta, `entry ${original.id} moved ${total} of ${-original.delta}`);
  const plan = planRestore([...taken].map(([lotId, amount]) => ({ lotId, amount })), account.debt);
  const entry = appendEntry(batch, account, -original.delta, { ...input, reversesEntryId: original.id }, now, await versionFor(m, ctx));
  const lots = await lotsById(m, [...taken.keys()]);
  moveLots(batch, account.memberId, entry.ref, plan.puts.map((p) => ({ lotId: p.lotId, delta: p.amount })), lots);
  account.debt -= plan.repaid;
  return entry;
}

/**
 * Puts `points` of a debit back into the lots it took them from (their original expiry kept), the latest-expiring
 * first; earlier partial restores (entries reversing `original`) are subtracted, so the sum of restores never
 * exceeds the debit. Used by a refund of an order paid partly with points.
 */
export async function restorePartInto(m: EntityManager, batch: WriteBatch, ctx: LedgerContext, account: MemberAccount, original: LedgerEntry, points: number, input: EntryInput): Promise<PendingEntry> {
  invariant(original.memberId === account.memberId && original.delta < 0, 'restore of a debit of this member');
  invariant(Number.isSafeInteger(points) && points > 0, `restore of ${points}`);
  const now = ctx.clock().getTime();
  const earlier = await select<{ id: unknown }>(m, 'SELECT id FROM ledger_entry WHERE reverses_entry_id = ? AND member_id = ?', [original.id, account.memberId]);
  const taken = await takenBy(m, [original.id, ...earlier.map((e) => Number(e.id))]);
  const lots = (await lotsById(m, [...taken.keys()])).sort((a, b) => b.expiresAt - a.expiresAt || b.id - a.id);
  const moves: { lotId: number; delta: number }[] = [];
  let left = points;
  for (const lot of lots) {
    const give = Math.min(left, taken.get(lot.id) ?? 0);
    if (give > 0) moves.push({ lotId: lot.id, delta: give });
    left -= give;
  }
  invariant(left === 0, `entry ${original.id}: ${points} to restore, ${points - left} left to give back`);
  const entry = appendEntry(batch, account, points, { ...input, reversesEntryId: original.id }, now, await versionFor(m, ctx));
  moveLots(batch, account.memberId, entry.ref, moves, lots);
  return entry;
}

/** Expires what is left of one lot, queued (the caller selected it as due, under the account lock). */
export async function expireLotInto(m: EntityManager, batch: WriteBatch, ctx: LedgerContext, account: MemberAccount, lot: PointsLot, actor: string): Promise<PendingEntry | null> {
  if (lot.remaining <= 0) return null;
  const now = ctx.clock().getTime();
  invariant(lot.expiresAt <= now, `lot ${lot.id} not due`);
  const entry = appendEntry(batch, account, -lot.remaining, { code: 'EXPIRE', reason: '积分过期', actor, refType: 'lot', refId: String(lot.id) }, now, await versionFor(m, ctx));
  moveLots(batch, account.memberId, entry.ref, [{ lotId: lot.id, delta: -lot.remaining }], [lot]);
  return entry;
}
