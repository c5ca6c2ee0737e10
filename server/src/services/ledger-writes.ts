import type { EntityManager } from 'typeorm';
import type { BreakdownLine, LedgerCode } from '@jifen/shared';
import { invariant } from '../errors';
import { LedgerEntryEntity, LotMovementEntity, type LedgerEntry, type MemberAccount, type PointsLot } from '../db/entities';
import { select, type Ref, type WriteBatch } from '../db/write-batch';
import { isQualifying, queueQualifying } from './qualifying-months';

export interface EntryInput {
  code: LedgerCode;
  reason: string;
  actor: string;
  refType?: string | null;
  refId?: string | null;
  breakdown?: BreakdownLine[] | null;
  reversesEntryId?: number | Ref | null;
}

/** An entry queued in a batch: its row, and its id once the batch ran. */
export interface PendingEntry {
  ref: Ref;
  row: Omit<LedgerEntry, 'id' | 'reversesEntryId'> & { reversesEntryId: number | Ref | null };
}

/** The entry as the callers know it, once its batch ran. */
export function written(e: PendingEntry): LedgerEntry {
  const rev = e.row.reversesEntryId;
  return { ...e.row, reversesEntryId: rev === null || typeof rev === 'number' ? rev : rev.id, id: e.ref.id };
}

export interface AccountRow {
  member_id: unknown;
  balance: unknown;
  debt: unknown;
  version: unknown;
  last_checkin_day: string | null;
  checkin_streak: unknown;
  updated_at: unknown;
}

const ACCOUNT_COLUMNS = 'member_id, balance, debt, version, last_checkin_day, checkin_streak, updated_at';

/** The account's columns for a caller's own lock statement on `member_account <alias>` (read back with toAccount). */
export function accountColumns(alias: string): string {
  return ACCOUNT_COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ');
}

export function toAccount(r: AccountRow): MemberAccount {
  return {
    memberId: Number(r.member_id),
    balance: Number(r.balance),
    debt: Number(r.debt),
    version: Number(r.version),
    lastCheckinDay: r.last_checkin_day,
    checkinStreak: Number(r.checkin_streak),
    updatedAt: Number(r.updated_at),
  };
}

/** The statement locking account rows FOR UPDATE on MySQL (SQLite transactions are serialized), in member id order. */
export function lockAccountSql(m: EntityManager, memberIds: number[]): { sql: string; params: unknown[] } {
  const lock = m.connection.options.type === 'mysql' ? ' FOR UPDATE' : '';
  const where = memberIds.length === 1 ? 'member_id = ?' : `member_id IN (${memberIds.map(() => '?').join(', ')})`;
  return { sql: `SELECT ${ACCOUNT_COLUMNS} FROM member_account WHERE ${where} ORDER BY member_id${lock}`, params: memberIds };
}

export async function lockAccountRows(m: EntityManager, memberIds: number[]): Promise<MemberAccount[]> {
  const { sql, params } = lockAccountSql(m, memberIds);
  return (await select<AccountRow>(m, sql, params)).map(toAccount);
}

/** Queues an entry; the account's balance moves by `delta` now (in memory) and is written when the batch runs. */
export function appendEntry(batch: WriteBatch, account: MemberAccount, delta: number, input: EntryInput, now: number, rulesVersion: number): PendingEntry {
  invariant(rulesVersion > 0, 'an entry records the rules version it was computed under');
  account.balance += delta;
  const row = {
    memberId: account.memberId,
    code: input.code,
    delta,
    balanceAfter: account.balance,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
    reversesEntryId: input.reversesEntryId ?? null,
    reason: input.reason.slice(0, 255),
    breakdown: input.breakdown ? JSON.stringify(input.breakdown) : null,
    actor: input.actor.slice(0, 64),
    createdAt: now,
    rulesVersion,
  };
  const ref = batch.insert(LedgerEntryEntity, row);
  if (isQualifying(input.code)) queueQualifying(batch, account.memberId, now, delta);
  saveAccountOnFlush(batch, account, now);
  return { ref, row };
}

/**
 * Queues the lots' new remaining points (one statement however many lots) and the movements (one multi-row
 * insert). Each move is checked here: a lot never goes below zero nor above its amount.
 */
export function moveLots(batch: WriteBatch, memberId: number, entry: Ref, moves: { lotId: number; delta: number }[], lots: PointsLot[]): void {
  const changed: PointsLot[] = [];
  const rows: { entryId: Ref; lotId: number; memberId: number; delta: number }[] = [];
  for (const mv of moves) {
    if (mv.delta === 0) continue;
    const lot = lots.find((l) => l.id === mv.lotId);
    invariant(lot, `lot ${mv.lotId} loaded`);
    const remaining = lot.remaining + mv.delta;
    invariant(remaining >= 0 && remaining <= lot.amount, `lot ${lot.id} remaining ${remaining} within 0..${lot.amount}`);
    lot.remaining = remaining;
    if (!changed.includes(lot)) changed.push(lot);
    rows.push({ entryId: entry, lotId: lot.id, memberId, delta: mv.delta });
  }
  if (changed.length === 0) return;
  if (changed.length === 1) {
    batch.exec('UPDATE points_lot SET remaining = ? WHERE id = ?', [changed[0]!.remaining, changed[0]!.id], expectRows(1, 'lot'));
  } else {
    batch.exec(
      `UPDATE points_lot SET remaining = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${changed.map(() => '?').join(', ')})`,
      [...changed.flatMap((l) => [l.id, l.remaining]), ...changed.map((l) => l.id)],
      expectRows(changed.length, 'lots'),
    );
  }
  batch.insertMany(LotMovementEntity, rows);
}

/**
 * Writes the account cache once per batch, with the account as it stands when the batch runs. The invariant
 * balance = sum(lots) - debt is kept by construction (every entry moves the lots it touches by exactly its delta,
 * each move checked in moveLots) and checked in full, member by member, by `npm run verify`: summing every lot of
 * the member here made each write's cost grow with the member's history (issue 14.3).
 */
export function saveAccountOnFlush(batch: WriteBatch, account: MemberAccount, now: number): void {
  batch.atFlush(`account:${account.memberId}`, () => {
    invariant(account.debt >= 0, 'debt is never negative');
    invariant(account.balance + account.debt >= 0, `member ${account.memberId}: balance ${account.balance} + debt ${account.debt} is never negative`);
    account.version += 1;
    account.updatedAt = now;
    batch.exec(
      'UPDATE member_account SET balance = ?, debt = ?, version = ?, updated_at = ?, last_checkin_day = ?, checkin_streak = ? WHERE member_id = ?',
      [account.balance, account.debt, account.version, now, account.lastCheckinDay, account.checkinStreak, account.memberId],
      expectRows(1, `account ${account.memberId}`),
    );
  });
}

/** A check that a statement matched exactly `n` rows (mysql2 reports found rows, as SQLite does). */
function expectRows(n: number, what: string): (affected: number) => void {
  return (affected) => invariant(affected === n, `${what}: ${affected} rows written of ${n}`);
}
