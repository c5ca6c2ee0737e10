import { In, type EntityManager } from 'typeorm';
import {
  lotExpiresAt,
  lotExpiresAtFor,
  isActiveMember,
  planCredit,
  planDebit,
  planRestore,
  planReversal,
  spendablePoints,
  type BreakdownLine,
  type LedgerCode,
  type LotView,
  type RulesConfig,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import {
  LedgerEntryEntity,
  LotMovementEntity,
  MemberAccountEntity,
  PointsLotEntity,
  type LedgerEntry,
  type MemberAccount,
  type PointsLot,
} from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { RulesVersionService } from './rules-version.service';
import { lastPurchaseAt } from './validity-sweep';

export interface EntryInput {
  code: LedgerCode;
  reason: string;
  actor: string;
  refType?: string | null;
  refId?: string | null;
  breakdown?: BreakdownLine[] | null;
  reversesEntryId?: number | null;
}

/**
 * The only writer of balances (DESIGN §3). Every method runs inside the caller's transaction, on an
 * account row the caller locked with lockAccount(); each appends one entry, moves lots, and updates the
 * cache, then re-checks balance = sum(lots) - debt for that member (second assertion place: `npm run verify`).
 */
export class LedgerService {
  constructor(
    readonly tx: TxRunner,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    readonly versions: RulesVersionService,
  ) {}

  /**
   * Locks the member's account row (SELECT … FOR UPDATE); every balance change starts here. The rules are
   * synced to the version in force first, so what follows is computed under, and records, that version.
   */
  async lockAccount(m: EntityManager, memberId: number): Promise<MemberAccount> {
    await this.versions.sync(m);
    const qb = m.getRepository(MemberAccountEntity).createQueryBuilder('a').where('a.member_id = :memberId', { memberId });
    const account = await this.tx.forUpdate(qb).getOne();
    if (!account) throw new AppError('NOT_FOUND');
    return account;
  }

  async lots(m: EntityManager, memberId: number): Promise<PointsLot[]> {
    return m
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .where('l.member_id = :memberId AND l.remaining > 0', { memberId })
      .orderBy('l.expires_at', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
  }

  /** A credit: repays debt first, the rest goes into a new lot (pending until activatesAt). */
  async credit(
    m: EntityManager,
    account: MemberAccount,
    points: number,
    input: EntryInput & { activatesAt?: number; expiresAt?: number },
  ): Promise<LedgerEntry> {
    invariant(Number.isSafeInteger(points) && points > 0, `credit of ${points}`);
    const now = this.clock().getTime();
    const expiresAt = input.expiresAt ?? (await this.expiryFor(m, account.memberId, input, now));
    const entry = await this.append(m, account, points, input, now);
    const { repaid, lotRemaining } = planCredit(points, account.debt);
    await m.getRepository(PointsLotEntity).insert({
      memberId: account.memberId,
      entryId: entry.id,
      amount: points,
      remaining: lotRemaining,
      earnedAt: now,
      activatesAt: input.activatesAt ?? now,
      expiresAt,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
    });
    account.debt -= repaid;
    await this.saveAccount(m, account, now);
    return entry;
  }

  /** A new lot's expiry: the plain policy, or under tiered validity the one the member's activity earns. */
  private async expiryFor(m: EntityManager, memberId: number, input: EntryInput, now: number): Promise<number> {
    if (!this.rules.validity.enabled) return lotExpiresAt(new Date(now), this.rules).getTime();
    const active = input.refType === 'purchase' || isActiveMember(await lastPurchaseAt(m, memberId), now, this.rules);
    return lotExpiresAtFor(new Date(now), active, this.rules).getTime();
  }

  /**
   * The oldest spendable lots (FIFO: expiry, then id) until they cover `points`, read a page at a time
   * (issue 14.3): a debit reads the few lots it takes, not the member's whole history. When they do not cover
   * it, every spendable lot was read, so their sum is what is available.
   */
  async oldestSpendable(m: EntityManager, memberId: number, points: number, now: number): Promise<PointsLot[]> {
    const out: PointsLot[] = [];
    let covered = 0;
    for (let last: PointsLot | undefined; ; ) {
      const qb = m
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .where('l.member_id = :memberId AND l.expires_at > :now AND l.remaining > 0 AND l.activates_at <= :now', { memberId, now });
      if (last) qb.andWhere('(l.expires_at > :e OR (l.expires_at = :e AND l.id > :i))', { e: last.expiresAt, i: last.id });
      const page = await qb.orderBy('l.expires_at', 'ASC').addOrderBy('l.id', 'ASC').limit(LOT_PAGE).getMany();
      out.push(...page);
      for (const l of page) covered += l.remaining;
      if (covered >= points || page.length < LOT_PAGE) return out;
      last = page[page.length - 1];
    }
  }

  /** A debit FIFO over spendable lots; INSUFFICIENT_POINTS (nothing written) when they do not cover it. */
  async debit(m: EntityManager, account: MemberAccount, points: number, input: EntryInput): Promise<LedgerEntry> {
    invariant(Number.isSafeInteger(points) && points > 0, `debit of ${points}`);
    const now = this.clock().getTime();
    // Only the oldest lots it takes (issue 14.3); enough to cover the debt too, so `available` is exact when short.
    const lots = await this.oldestSpendable(m, account.memberId, points + account.debt, now);
    const views = lots.map(toView);
    // The same rule /me and the shelf show (issue 13.1): spendable lots less debt.
    const available = spendablePoints(views, now, account.debt);
    if (points > available) throw new AppError('INSUFFICIENT_POINTS', { needed: points, available });
    const plan = planDebit(views, points, now);
    invariant(plan.ok, `debit of ${points} within ${available} spendable`);
    const entry = await this.append(m, account, -points, input, now);
    await this.moveLots(m, account.memberId, entry.id, plan.takes.map((t) => ({ lotId: t.lotId, delta: -t.amount })), lots);
    await this.saveAccount(m, account, now);
    return entry;
  }

  /**
   * A reversal of earned points (refund): the referenced lots first, then others FIFO; what is
   * already spent becomes debt that later credits repay.
   */
  async reverse(
    m: EntityManager,
    account: MemberAccount,
    points: number,
    own: { refType: string; refId: string },
    input: EntryInput,
  ): Promise<LedgerEntry> {
    invariant(Number.isSafeInteger(points) && points > 0, `reversal of ${points}`);
    const now = this.clock().getTime();
    const lots = await this.lots(m, account.memberId);
    const plan = planReversal(lots.map(toView), points, now, own);
    const entry = await this.append(m, account, -points, input, now);
    await this.moveLots(m, account.memberId, entry.id, plan.takes.map((t) => ({ lotId: t.lotId, delta: -t.amount })), lots);
    account.debt += plan.debt;
    await this.saveAccount(m, account, now);
    return entry;
  }

  /**
   * Gives a debit's points back. Like any credit they repay debt first (issue 13.1); the rest goes back into
   * the very lots it took them from (their original expiry kept), latest-expiring first.
   */
  async restore(m: EntityManager, account: MemberAccount, original: LedgerEntry, input: EntryInput): Promise<LedgerEntry> {
    invariant(original.memberId === account.memberId && original.delta < 0, 'restore of a debit of this member');
    const now = this.clock().getTime();
    const moves = await m.getRepository(LotMovementEntity).find({ where: { entryId: original.id }, order: { id: 'ASC' } });
    const taken = moves.reduce((s, mv) => s - mv.delta, 0);
    invariant(taken === -original.delta, `entry ${original.id} moved ${taken} of ${-original.delta}`);
    const plan = planRestore(moves.map((mv) => ({ lotId: mv.lotId, amount: -mv.delta })), account.debt);
    const entry = await this.append(m, account, -original.delta, { ...input, reversesEntryId: original.id }, now);
    const lots = await m.getRepository(PointsLotEntity).findBy({ id: In(moves.map((mv) => mv.lotId)) });
    await this.moveLots(m, account.memberId, entry.id, plan.puts.map((p) => ({ lotId: p.lotId, delta: p.amount })), lots);
    account.debt -= plan.repaid;
    await this.saveAccount(m, account, now);
    return entry;
  }

  /**
   * Puts `points` of a debit back into the lots it took them from (their original expiry kept), the latest-expiring
   * first; earlier partial restores (entries reversing `original`) are subtracted, so the sum of restores never
   * exceeds the debit. Used by a refund of an order paid partly with points.
   */
  async restorePart(m: EntityManager, account: MemberAccount, original: LedgerEntry, points: number, input: EntryInput): Promise<LedgerEntry> {
    invariant(original.memberId === account.memberId && original.delta < 0, 'restore of a debit of this member');
    invariant(Number.isSafeInteger(points) && points > 0, `restore of ${points}`);
    const now = this.clock().getTime();
    const taken = new Map<number, number>();
    for (const mv of await m.getRepository(LotMovementEntity).find({ where: { entryId: original.id } })) taken.set(mv.lotId, (taken.get(mv.lotId) ?? 0) - mv.delta);
    const earlier = await m.getRepository(LedgerEntryEntity).find({ where: { reversesEntryId: original.id, memberId: account.memberId } });
    if (earlier.length > 0) {
      for (const mv of await m.getRepository(LotMovementEntity).find({ where: { entryId: In(earlier.map((e) => e.id)) } })) taken.set(mv.lotId, (taken.get(mv.lotId) ?? 0) - mv.delta);
    }
    const lots = (await m.getRepository(PointsLotEntity).findBy({ id: In([...taken.keys()]) })).sort((a, b) => b.expiresAt - a.expiresAt || b.id - a.id);
    const moves: { lotId: number; delta: number }[] = [];
    let left = points;
    for (const lot of lots) {
      const give = Math.min(left, taken.get(lot.id) ?? 0);
      if (give > 0) moves.push({ lotId: lot.id, delta: give });
      left -= give;
    }
    invariant(left === 0, `entry ${original.id}: ${points} to restore, ${points - left} left to give back`);
    const entry = await this.append(m, account, points, { ...input, reversesEntryId: original.id }, now);
    await this.moveLots(m, account.memberId, entry.id, moves, lots);
    await this.saveAccount(m, account, now);
    return entry;
  }

  /** Expires what is left of one lot (the caller selected it as due, under the account lock). */
  async expireLot(m: EntityManager, account: MemberAccount, lot: PointsLot, actor: string): Promise<LedgerEntry | null> {
    if (lot.remaining <= 0) return null;
    const now = this.clock().getTime();
    invariant(lot.expiresAt <= now, `lot ${lot.id} not due`);
    const entry = await this.append(m, account, -lot.remaining, { code: 'EXPIRE', reason: '积分过期', actor, refType: 'lot', refId: String(lot.id) }, now);
    await this.moveLots(m, account.memberId, entry.id, [{ lotId: lot.id, delta: -lot.remaining }], [lot]);
    await this.saveAccount(m, account, now);
    return entry;
  }

  /** Locks many members' accounts in one statement, in member id order (so two batches never deadlock each other). */
  async lockAccounts(m: EntityManager, memberIds: number[]): Promise<Map<number, MemberAccount>> {
    const ids = [...new Set(memberIds)].sort((a, b) => a - b);
    if (ids.length === 0) return new Map();
    await this.versions.sync(m);
    const qb = m.getRepository(MemberAccountEntity).createQueryBuilder('a').where('a.member_id IN (:...ids)', { ids }).orderBy('a.member_id', 'ASC');
    const rows = await this.tx.forUpdate(qb).getMany();
    if (rows.length !== ids.length) throw new AppError('NOT_FOUND');
    return new Map(rows.map((a) => [a.memberId, a]));
  }

  /**
   * Many credits in a few statements (bulk imports): the same bookings as credit() one by one, in the given
   * order (debt repaid first, a lot for the rest), written as one multi-row insert of entries, one of lots and
   * one update of the accounts, then the same balance = sum(lots) - debt check for every account touched.
   * Each input's (refType, refId) must be new and unique: that is how the entries are found again after the
   * insert (no reliance on consecutive AUTO_INCREMENT values, which TiDB does not promise).
   */
  async creditMany(m: EntityManager, credits: { account: MemberAccount; points: number; input: EntryInput }[]): Promise<LedgerEntry[]> {
    if (credits.length === 0) return [];
    const now = this.clock().getTime();
    const expiresAt = lotExpiresAt(new Date(now), this.rules).getTime();
    const refType = credits[0]!.input.refType;
    invariant(refType && credits.every((c) => c.input.refType === refType && c.input.refId), 'creditMany: one refType, every refId set');
    const touched = new Map<number, MemberAccount>();
    const drafts = credits.map((c) => {
      invariant(Number.isSafeInteger(c.points) && c.points > 0, `credit of ${c.points}`);
      const { repaid, lotRemaining } = planCredit(c.points, c.account.debt);
      c.account.balance += c.points;
      c.account.debt -= repaid;
      c.account.version += 1;
      touched.set(c.account.memberId, c.account);
      const row = {
        memberId: c.account.memberId,
        code: c.input.code,
        delta: c.points,
        balanceAfter: c.account.balance,
        refType,
        refId: c.input.refId!,
        reversesEntryId: null,
        reason: c.input.reason.slice(0, 255),
        breakdown: c.input.breakdown ? JSON.stringify(c.input.breakdown) : null,
        actor: c.input.actor.slice(0, 64),
        createdAt: now,
        rulesVersion: this.versions.state.versionId,
      };
      return { row, points: c.points, lotRemaining };
    });
    await m.getRepository(LedgerEntryEntity).insert(drafts.map((d) => d.row));
    const refIds = drafts.map((d) => d.row.refId);
    const found = await m
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('e')
      .select(['e.id', 'e.refId'])
      .where('e.ref_type = :refType AND e.ref_id IN (:...refIds)', { refType, refIds })
      .getMany();
    invariant(found.length === drafts.length, `creditMany: ${found.length} entries found for ${drafts.length} written`);
    const idByRef = new Map(found.map((e) => [e.refId!, e.id]));
    const entries = drafts.map((d) => ({ ...d.row, id: idByRef.get(d.row.refId)! }));
    await m.getRepository(PointsLotEntity).insert(
      drafts.map((d, i) => ({
        memberId: d.row.memberId,
        entryId: entries[i]!.id,
        amount: d.points,
        remaining: d.lotRemaining,
        earnedAt: now,
        activatesAt: now,
        expiresAt,
        refType,
        refId: d.row.refId,
      })),
    );
    const accounts = [...touched.values()];
    const ids = accounts.map((a) => a.memberId);
    const sums = await m
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .select('l.member_id', 'memberId')
      .addSelect('COALESCE(SUM(l.remaining), 0)', 'total')
      .where('l.member_id IN (:...ids)', { ids })
      .groupBy('l.member_id')
      .getRawMany<{ memberId: number | string; total: number | string }>();
    const sumOf = new Map(sums.map((r) => [Number(r.memberId), Number(r.total)]));
    for (const a of accounts) {
      invariant(a.debt >= 0, 'debt is never negative');
      invariant((sumOf.get(a.memberId) ?? 0) - a.debt === a.balance, `member ${a.memberId}: lots ${sumOf.get(a.memberId)} - debt ${a.debt} = balance ${a.balance}`);
      a.updatedAt = now;
    }
    const whens = accounts.map(() => 'WHEN ? THEN ?').join(' ');
    const params = (f: (a: MemberAccount) => number) => accounts.flatMap((a) => [a.memberId, f(a)]);
    await m.query(
      `UPDATE member_account SET balance = CASE member_id ${whens} END, debt = CASE member_id ${whens} END, version = CASE member_id ${whens} END, updated_at = ? WHERE member_id IN (${ids.map(() => '?').join(',')})`,
      [...params((a) => a.balance), ...params((a) => a.debt), ...params((a) => a.version), now, ...ids],
    );
    return entries;
  }

  private async append(m: EntityManager, account: MemberAccount, delta: number, input: EntryInput, now: number): Promise<LedgerEntry> {
    if (this.versions.state.versionId === 0) await this.versions.sync(m); // a caller that locked rows itself (the expiry job)
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
      rulesVersion: this.versions.state.versionId,
    };
    invariant(row.rulesVersion > 0, 'an entry records the rules version it was computed under');
    const result = await m.getRepository(LedgerEntryEntity).insert(row);
    return { ...row, id: Number(result.identifiers[0]!.id) };
  }

  private async moveLots(m: EntityManager, memberId: number, entryId: number, moves: { lotId: number; delta: number }[], lots: PointsLot[]): Promise<void> {
    const repo = m.getRepository(PointsLotEntity);
    for (const mv of moves) {
      if (mv.delta === 0) continue;
      const lot = lots.find((l) => l.id === mv.lotId);
      invariant(lot, `lot ${mv.lotId} loaded`);
      const remaining = lot.remaining + mv.delta;
      invariant(remaining >= 0 && remaining <= lot.amount, `lot ${lot.id} remaining ${remaining} within 0..${lot.amount}`);
      await repo.update({ id: lot.id }, { remaining });
      lot.remaining = remaining;
      await m.getRepository(LotMovementEntity).insert({ entryId, lotId: lot.id, memberId, delta: mv.delta });
    }
  }

  /**
   * Writes the account cache. The invariant balance = sum(lots) - debt is kept by construction (every method
   * moves the lots it touches by exactly the entry's delta, each move checked in moveLots) and checked in full,
   * member by member, by `npm run verify`: summing every lot of the member here made each write's cost grow
   * with the member's history (issue 14.3).
   */
  private async saveAccount(m: EntityManager, account: MemberAccount, now: number): Promise<void> {
    invariant(account.debt >= 0, 'debt is never negative');
    invariant(account.balance + account.debt >= 0, `member ${account.memberId}: balance ${account.balance} + debt ${account.debt} is never negative`);
    account.version += 1;
    account.updatedAt = now;
    await m
      .getRepository(MemberAccountEntity)
      .update({ memberId: account.memberId }, { balance: account.balance, debt: account.debt, version: account.version, updatedAt: now, lastCheckinDay: account.lastCheckinDay, checkinStreak: account.checkinStreak });
  }
}

/** Lots read per page by a debit. */
const LOT_PAGE = 20;

export function toView(l: PointsLot): LotView {
  return { id: l.id, remaining: l.remaining, expiresAt: l.expiresAt, activatesAt: l.activatesAt, refType: l.refType, refId: l.refId };
}
