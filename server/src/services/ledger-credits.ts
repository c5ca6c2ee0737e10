import type { EntityManager } from 'typeorm';
import { isActiveMember, lotExpiresAt, lotExpiresAtFor, planCredit, type RulesConfig } from '@jifen/shared';
import { invariant } from '../errors';
import { LedgerEntryEntity, PointsLotEntity, type LedgerEntry, type MemberAccount } from '../db/entities';
import type { WriteBatch } from '../db/write-batch';
import type { Clock } from '../clock';
import type { RulesVersionService } from './rules-version.service';
import { lastPurchaseAt } from './validity-sweep';
import { addQualifying } from './qualifying-months';
import { appendEntry, type EntryInput, type PendingEntry } from './ledger-writes';

/** What the ledger's functions share: the live rules, the clock, and the rules version in force. */
export interface LedgerContext {
  rules: RulesConfig;
  clock: Clock;
  versions: RulesVersionService;
}

/** The version an entry records; a caller that locked rows itself (the expiry job) may not have synced yet. */
export async function versionFor(m: EntityManager, ctx: LedgerContext): Promise<number> {
  if (ctx.versions.state.versionId === 0) await ctx.versions.sync(m);
  return ctx.versions.state.versionId;
}

export type CreditInput = EntryInput & { activatesAt?: number; expiresAt?: number };

/** A credit queued in the batch: repays debt first, the rest goes into a new lot (pending until activatesAt). */
export async function creditInto(m: EntityManager, batch: WriteBatch, ctx: LedgerContext, account: MemberAccount, points: number, input: CreditInput): Promise<PendingEntry> {
  invariant(Number.isSafeInteger(points) && points > 0, `credit of ${points}`);
  const now = ctx.clock().getTime();
  const version = await versionFor(m, ctx);
  const expiresAt = input.expiresAt ?? (await expiryFor(m, ctx.rules, account.memberId, input, now));
  const entry = appendEntry(batch, account, points, input, now, version);
  const { repaid, lotRemaining } = planCredit(points, account.debt);
  batch.insert(PointsLotEntity, {
    memberId: account.memberId,
    entryId: entry.ref,
    amount: points,
    remaining: lotRemaining,
    earnedAt: now,
    activatesAt: input.activatesAt ?? now,
    expiresAt,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
  });
  account.debt -= repaid;
  return entry;
}

/** A new lot's expiry: the plain policy, or under tiered validity the one the member's activity earns. */
async function expiryFor(m: EntityManager, rules: RulesConfig, memberId: number, input: EntryInput, now: number): Promise<number> {
  if (!rules.validity.enabled) return lotExpiresAt(new Date(now), rules).getTime();
  const active = input.refType === 'purchase' || isActiveMember(await lastPurchaseAt(m, memberId), now, rules);
  return lotExpiresAtFor(new Date(now), active, rules).getTime();
}

/**
 * Many credits in a few statements (bulk imports): the same bookings as credit() one by one, in the given
 * order (debt repaid first, a lot for the rest), written as one multi-row insert of entries, one of lots and
 * one update of the accounts, then the same balance = sum(lots) - debt check for every account touched.
 * Each input's (refType, refId) must be new and unique: that is how the entries are found again after the
 * insert (no reliance on consecutive AUTO_INCREMENT values, which TiDB does not promise).
 */
export async function creditMany(m: EntityManager, ctx: LedgerContext, credits: { account: MemberAccount; points: number; input: EntryInput }[]): Promise<LedgerEntry[]> {
  if (credits.length === 0) return [];
  const now = ctx.clock().getTime();
  const expiresAt = lotExpiresAt(new Date(now), ctx.rules).getTime();
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
      rulesVersion: ctx.versions.state.versionId,
    };
    return { row, points: c.points, lotRemaining };
  });
  await m.getRepository(LedgerEntryEntity).insert(drafts.map((d) => d.row));
  await addQualifying(m, drafts.map((d) => d.row));
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
