import type { EntityManager } from 'typeorm';
import type { RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import type { LedgerEntry, MemberAccount, PointsLot } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import { selectAll, WriteBatch } from '../db/write-batch';
import type { Clock } from '../clock';
import type { RulesVersionService } from './rules-version.service';
import { creditInto, creditMany, type CreditInput, type LedgerContext } from './ledger-credits';
import { debitInto, expireLotInto, restoreInto, restorePartInto, reverseInto } from './ledger-debits';
import { lotsOf, oldestSpendable, openLots, spendablePageSql } from './ledger-lots';
import { lockAccountRows, lockAccountSql, toAccount, written, type AccountRow, type EntryInput, type PendingEntry } from './ledger-writes';

export type { EntryInput, PendingEntry } from './ledger-writes';
export { toView } from './ledger-lots';

/**
 * The only writer of balances (DESIGN §3). Every method runs inside the caller's transaction, on an
 * account row the caller locked with lockAccount(); each appends one entry, moves lots, and updates the
 * cache (balance = sum(lots) - debt holds by construction; `npm run verify` checks it in full).
 *
 * Two ways in: credit()/debit()/… write at once (one round trip each on MySQL); the hot paths (purchase,
 * redemption, check-in) queue into a WriteBatch with creditInto()/debitInto() and send the batch, their own
 * rows included, in one round trip at the end (issue 14.1). Lot reading, debits and credits live in
 * ledger-lots.ts, ledger-debits.ts and ledger-credits.ts; the raw writes in ledger-writes.ts.
 */
export class LedgerService {
  private readonly ctx: LedgerContext;

  constructor(
    readonly tx: TxRunner,
    rules: RulesConfig,
    clock: Clock,
    readonly versions: RulesVersionService,
  ) {
    this.ctx = { rules, clock, versions };
  }

  /**
   * Locks the member's account row (SELECT … FOR UPDATE); every balance change starts here. The rules are
   * synced to the version in force first, so what follows is computed under, and records, that version.
   */
  async lockAccount(m: EntityManager, memberId: number): Promise<MemberAccount> {
    await this.versions.sync(m);
    return this.lockSynced(m, memberId);
  }

  /** The lock alone, for a caller that synced the rules version itself in the same transaction (a hot path's first read). */
  async lockSynced(m: EntityManager, memberId: number): Promise<MemberAccount> {
    const [account] = await lockAccountRows(m, [memberId]);
    if (!account) throw new AppError('NOT_FOUND');
    return account;
  }

  /** lockSynced() and the first page of the member's spendable lots at `nowMs` in one round trip (for a debit that follows). */
  async lockWithFirstPage(m: EntityManager, memberId: number, nowMs: number): Promise<{ account: MemberAccount; firstPage: { lots: PointsLot[]; now: number } }> {
    const [sql, params] = spendablePageSql(memberId, nowMs);
    const [locked, page] = await selectAll(m, [lockAccountSql(m, [memberId]), { sql, params }]);
    const row = locked![0] as AccountRow | undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { account: toAccount(row), firstPage: { lots: lotsOf(page!), now: nowMs } };
  }

  /** Locks many members' accounts in one statement, in member id order (so two batches never deadlock each other). */
  async lockAccounts(m: EntityManager, memberIds: number[]): Promise<Map<number, MemberAccount>> {
    const ids = [...new Set(memberIds)].sort((a, b) => a - b);
    if (ids.length === 0) return new Map();
    await this.versions.sync(m);
    const rows = await lockAccountRows(m, ids);
    if (rows.length !== ids.length) throw new AppError('NOT_FOUND');
    return new Map(rows.map((a) => [a.memberId, a]));
  }

  /** Every open lot of the member, FIFO. */
  lots(m: EntityManager, memberId: number): Promise<PointsLot[]> {
    return openLots(m, memberId);
  }

  oldestSpendable(m: EntityManager, memberId: number, points: number, now: number): Promise<PointsLot[]> {
    return oldestSpendable(m, memberId, points, now);
  }

  /** A new batch for a transaction's hot writes; send it with batch.flush() before the transaction ends. */
  batch(m: EntityManager): WriteBatch {
    return new WriteBatch(m);
  }

  // ---- queued into the caller's batch ------------------------------------------------------------

  creditInto(m: EntityManager, batch: WriteBatch, account: MemberAccount, points: number, input: CreditInput): Promise<PendingEntry> {
    return creditInto(m, batch, this.ctx, account, points, input);
  }

  /** `firstPage`: the first page of spendable lots (spendablePageSql), read by the caller with its lock at `now`. */
  debitInto(m: EntityManager, batch: WriteBatch, account: MemberAccount, points: number, input: EntryInput, firstPage?: { lots: PointsLot[]; now: number }): Promise<PendingEntry> {
    return debitInto(m, batch, this.ctx, account, points, input, firstPage);
  }

  // ---- written at once ------------------------------------------------------------------------------

  /** A credit: repays debt first, the rest goes into a new lot (pending until activatesAt). */
  credit(m: EntityManager, account: MemberAccount, points: number, input: CreditInput): Promise<LedgerEntry> {
    return this.now(m, (b) => creditInto(m, b, this.ctx, account, points, input));
  }

  /** A debit FIFO over spendable lots; INSUFFICIENT_POINTS (nothing written) when they do not cover it. */
  debit(m: EntityManager, account: MemberAccount, points: number, input: EntryInput): Promise<LedgerEntry> {
    return this.now(m, (b) => debitInto(m, b, this.ctx, account, points, input));
  }

  /** A reversal of earned points (refund): the referenced lots first, then others FIFO; the spent rest becomes debt. */
  reverse(m: EntityManager, account: MemberAccount, points: number, own: { refType: string; refId: string }, input: EntryInput): Promise<LedgerEntry> {
    return this.now(m, (b) => reverseInto(m, b, this.ctx, account, points, own, input));
  }

  /** Gives a debit's points back: debt first, the rest into the lots it took them from (latest-expiring first). */
  restore(m: EntityManager, account: MemberAccount, original: LedgerEntry, input: EntryInput): Promise<LedgerEntry> {
    return this.now(m, (b) => restoreInto(m, b, this.ctx, account, original, input));
  }

  /** Puts `points` of a debit back into its lots, less what earlier partial restores gave back (refunds paid partly with points). */
  restorePart(m: EntityManager, account: MemberAccount, original: LedgerEntry, points: number, input: EntryInput): Promise<LedgerEntry> {
    return this.now(m, (b) => restorePartInto(m, b, this.ctx, account, original, points, input));
  }

  /** Expires what is left of one lot (the caller selected it as due, under the account lock). */
  async expireLot(m: EntityManager, account: MemberAccount, lot: PointsLot, actor: string): Promise<LedgerEntry | null> {
    const batch = new WriteBatch(m);
    const entry = await expireLotInto(m, batch, this.ctx, account, lot, actor);
    await batch.flush();
    return entry && written(entry);
  }

  /** Many credits in a few statements (bulk imports); see ledger-credits.ts. */
  creditMany(m: EntityManager, credits: { account: MemberAccount; points: number; input: EntryInput }[]): Promise<LedgerEntry[]> {
    return creditMany(m, this.ctx, credits);
  }

  private async now(m: EntityManager, queue: (batch: WriteBatch) => Promise<PendingEntry>): Promise<LedgerEntry> {
    const batch = new WriteBatch(m);
    const entry = await queue(batch);
    await batch.flush();
    return written(entry);
  }
}
