import type { EntityManager } from 'typeorm';
import {
  currentStreak,
  daysLeft,
  isPending,
  spendableOf,
  maskPhone,
  pointsToFen,
  retentionText,
  type LedgerEntryDto,
  type LedgerKind,
  type MeResponse,
  type RulesConfig,
} from '@jifen/shared';
import { AppError } from '../errors';
import { LedgerEntryEntity, MemberAccountEntity, MemberEntity, type LedgerEntry, type Member } from '../db/entities';
import { MemberTiers, type MemberTierStatus } from './member-tier';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { toView } from './ledger.service';

export { QUALIFYING_CODES } from './member-tier';
const EXPIRING_HORIZON_DAYS = 90;

export class MembersService {
  /** The stored tier (保级, issue 11.4): read by everyone through tierOf, lifted by earning writes. */
  readonly tiers: MemberTiers;

  constructor(private readonly tx: TxRunner, private readonly rules: RulesConfig, private readonly clock: Clock) {
    this.tiers = new MemberTiers(tx, rules, clock);
  }

  /** Finds or creates the member for an openid (with an empty account). */
  /** The member of an openid, created on first sign-in; `beforeCreate` may refuse the creation (a limit). */
  async loginOpenid(openid: string, nickname?: string, beforeCreate?: () => void): Promise<Member> {
    const existing = await this.tx.manager.getRepository(MemberEntity).findOne({ where: { openid } });
    if (existing) return existing;
    beforeCreate?.();
    try {
      return await this.tx.run(async (m) => {
        const now = this.clock().getTime();
        const row = { openid, nickname: nickname ?? '会员', birthday: null, birthdaySetAt: null, invitedBy: null, firstPurchaseAt: null, phone: null, phoneBoundAt: null, createdAt: now };
        const r = await m.getRepository(MemberEntity).insert(row);
        const id = Number(r.identifiers[0]!.id);
        await m.getRepository(MemberAccountEntity).insert({ memberId: id, balance: 0, debt: 0, version: 0, lastCheckinDay: null, checkinStreak: 0, updatedAt: now });
        await this.tiers.create(m, id, now);
        if (!nickname) await m.getRepository(MemberEntity).update({ id }, { nickname: `会员${String(id).padStart(4, '0')}` });
        return (await m.getRepository(MemberEntity).findOneOrFail({ where: { id } }));
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // two first logins at once: the other one created it
      return this.tx.manager.getRepository(MemberEntity).findOneOrFail({ where: { openid } });
    }
  }

  async get(memberId: number, m: EntityManager = this.tx.manager): Promise<Member> {
    const member = await m.getRepository(MemberEntity).findOne({ where: { id: memberId } });
    if (!member) throw new AppError('NOT_FOUND');
    return member;
  }

  /** The member's tier: the stored one (the one function the till, check-ins, rewards, campaigns and GET /me read). */
  async tierOf(memberId: number, m: EntityManager = this.tx.manager): Promise<MemberTierStatus> {
    return this.tiers.status(memberId, m);
  }

  async me(memberId: number): Promise<MeResponse> {
    const m = this.tx.manager;
    const now = this.clock();
    const nowMs = now.getTime();
    // The reads are independent plain reads on the pool (no transaction): issued together, so on MariaDB they
    // run on several connections at once and GET /me costs about its slowest read (issue 14.3); SQLite's one
    // connection takes them in turn. Member and account come in one statement.
    const [rows, sumRows, tierOrError, expiringRows, pendingRows] = await Promise.all([
      m.query(
        `SELECT m.id, m.nickname, m.birthday, m.phone, a.balance, a.debt, a.last_checkin_day, a.checkin_streak
           FROM member m JOIN member_account a ON a.member_id = m.id WHERE m.id = ?`,
        [memberId],
      ) as Promise<Record<string, unknown>[]>,
      // Summed in SQL: the member's open lots are never loaded, however long the history.
      m.query(
        `SELECT COALESCE(SUM(CASE WHEN activates_at <= ? THEN remaining ELSE 0 END), 0) AS spendable,
                COALESCE(SUM(CASE WHEN activates_at > ? THEN remaining ELSE 0 END), 0) AS pending
           FROM points_lot WHERE member_id = ? AND expires_at > ? AND remaining > 0`,
        [nowMs, nowMs, memberId, nowMs],
      ) as Promise<{ spendable: unknown; pending: unknown }[]>,
      // Settled here so an unknown member is NOT_FOUND whichever read fails first.
      this.tiers.status(memberId, m, { year: true }).then((t) => ({ t }), (e: unknown) => ({ e })),
      // In local days like the reminders (daysLeft <= 90), not 90×24 h: on the day the 90-day reminder goes
      // out, the lot must already be listed here. SQL bounds it by 92 days of wall time, then local days decide.
      m.query(
        'SELECT expires_at, SUM(remaining) AS points FROM points_lot WHERE member_id = ? AND expires_at > ? AND expires_at <= ? AND activates_at <= ? AND remaining > 0 GROUP BY expires_at',
        [memberId, nowMs, nowMs + (EXPIRING_HORIZON_DAYS + 2) * 86_400_000, nowMs],
      ) as Promise<{ expires_at: unknown; points: unknown }[]>,
      // Pending lots are the last few days' earnings only.
      m.query(
        'SELECT remaining, activates_at FROM points_lot WHERE member_id = ? AND activates_at > ? AND expires_at > ? AND remaining > 0 ORDER BY activates_at, id',
        [memberId, nowMs, nowMs],
      ) as Promise<{ remaining: unknown; activates_at: unknown }[]>,
    ]);
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND');
    if ('e' in tierOrError) throw tierOrError.e;
    const tier = tierOrError.t;
    const member = { id: Number(row.id), nickname: String(row.nickname), birthday: (row.birthday ?? null) as string | null, phone: (row.phone ?? null) as string | null };
    const account = {
      balance: Number(row.balance),
      debt: Number(row.debt),
      lastCheckinDay: (row.last_checkin_day ?? null) as string | null,
      checkinStreak: Number(row.checkin_streak),
    };
    const sums = sumRows[0];
    const totals = { available: spendableOf(Number(sums?.spendable ?? 0), account.debt), pending: Number(sums?.pending ?? 0) }; // the debit's rule (issue 13.1)
    const streak = currentStreak(account.lastCheckinDay ? { day: account.lastCheckinDay, streak: account.checkinStreak } : null, now, this.rules.timezone);
    const byExpiry = new Map<number, number>();
    for (const r of expiringRows) {
      const at = Number(r.expires_at);
      if (daysLeft(new Date(at), now, this.rules.timezone) <= EXPIRING_HORIZON_DAYS) byExpiry.set(at, Number(r.points));
    }
    const pendingLots = pendingRows.map((l) => ({ remaining: Number(l.remaining), activatesAt: Number(l.activates_at) }));
    return {
      member: { id: member.id, nickname: member.nickname, birthday: member.birthday, phone: member.phone ? maskPhone(member.phone) : null },
      balance: account.balance,
      available: totals.available,
      pending: totals.pending,
      worthFen: pointsToFen(Math.max(0, totals.available), this.rules.anchor),
      tier: {
        code: tier.current.code,
        name: tier.current.name,
        next: tier.next ? { code: tier.next.code, name: tier.next.name } : null,
        qualifyingPoints: tier.qualifyingPoints,
        pointsToNext: tier.pointsToNext,
        progressPct: tier.progressPct,
        since: new Date(tier.stored.achievedAt).toISOString(),
        reviewAt: tier.stored.reviewAt === null ? null : new Date(tier.stored.reviewAt).toISOString(),
        yearPoints: tier.yearPoints,
        atRisk: tier.retention?.atRisk
          ? { pointsNeeded: tier.retention.pointsNeeded, daysLeft: tier.retention.daysLeft, text: retentionText(tier.current.name, tier.retention.pointsNeeded) }
          : null,
      },
      checkin: streak,
      expiring: [...byExpiry.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([at, points]) => ({ points, expiresAt: new Date(at).toISOString(), daysLeft: daysLeft(new Date(at), now, this.rules.timezone) })),
      pendingLots: pendingLots.map((l) => ({ points: l.remaining, activatesAt: new Date(l.activatesAt).toISOString() })),
    };
  }

  /**
   * The member's ledger, newest first, by id cursor (an entry id; the page starts below it). The ledger service
   * appends in time order, so id order is time order and each balanceAfter follows from the entry below it.
   * `kind` keeps one kind of entry, by the rule of ledgerKindOf (shared): earn delta > 0, expire EXPIRE, spend the rest.
   */
  async ledger(memberId: number, cursor: number | undefined, limit: number, kind: LedgerKind = 'all'): Promise<{ entries: LedgerEntryDto[]; nextCursor: number | null }> {
    const qb = this.tx.manager.getRepository(LedgerEntryEntity).createQueryBuilder('e').where('e.member_id = :memberId', { memberId });
    if (cursor) qb.andWhere('e.id < :cursor', { cursor });
    if (kind === 'earn') qb.andWhere("e.delta > 0 AND e.code <> 'EXPIRE'");
    else if (kind === 'spend') qb.andWhere("e.delta <= 0 AND e.code <> 'EXPIRE'");
    else if (kind === 'expire') qb.andWhere("e.code = 'EXPIRE'");
    const rows = await qb.orderBy('e.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    return { entries: page.map(toLedgerDto), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  async setBirthday(memberId: number, birthday: string, byAdmin: boolean): Promise<Member> {
    return this.tx.run(async (m) => {
      const member = await this.get(memberId, m);
      if (member.birthday && !byAdmin) throw new AppError('BIRTHDAY_ALREADY_SET');
      await m.getRepository(MemberEntity).update({ id: memberId }, { birthday, birthdaySetAt: this.clock().getTime() });
      return { ...member, birthday };
    });
  }
}

export function toLedgerDto(e: LedgerEntry): LedgerEntryDto {
  return {
    id: e.id,
    code: e.code,
    delta: e.delta,
    balanceAfter: e.balanceAfter,
    reason: e.reason,
    refType: e.refType,
    refId: e.refId,
    breakdown: e.breakdown ? JSON.parse(e.breakdown) : null,
    createdAt: new Date(e.createdAt).toISOString(),
    rulesVersion: e.rulesVersion ?? null,
  };
}
