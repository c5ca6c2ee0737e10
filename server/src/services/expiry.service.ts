import { In, type EntityManager } from 'typeorm';
import { expiryReminderText, formatLocal, offerPrice, reminderDue, type RulesConfig } from '@jifen/shared';
import { MemberAccountEntity, NotificationEntity, PointsLotEntity, type PointsLot } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { CouponsService } from './coupons.service';
import { notify, type NoticeInput } from './outbox';
import { ValiditySweep } from './validity-sweep';
import { announceAvailable } from './available-notices';

export interface ExpiryRunResult {
  lotsExpired: number;
  pointsExpired: number;
  membersSkipped: number;
  remindersCreated: number;
  couponsIssued: number;
  lotsRevalidated: number;
  /** "Pending became available" notices written (issue 11.5). */
  availableTold: number;
}

/**
 * Expires due lots in bounded batches of members. Members are claimed with FOR UPDATE SKIP LOCKED on their
 * account rows (MySQL), so two instances running at once split the work and never expire a lot twice; the
 * batch's due lots are read in one statement under that lock. What expired for one member on one date is
 * told once and, above the threshold, becomes a coupon in the same transaction (issue 11.3).
 */
export class ExpiryService {
  static readonly MEMBERS_PER_BATCH_MAX = 100;
  static readonly REMINDERS_PER_RUN_MAX = 5000;
  static readonly REMINDER_MEMBERS_PAGE_MAX = 200;

  private readonly validity: ValiditySweep;

  constructor(
    private readonly ledger: LedgerService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    private readonly coupons: CouponsService,
  ) {
    this.validity = new ValiditySweep(ledger.tx, rules, clock);
  }

  async run(opts: { batchesMax?: number; actor?: string } = {}): Promise<ExpiryRunResult> {
    const result: ExpiryRunResult = { lotsExpired: 0, pointsExpired: 0, membersSkipped: 0, remindersCreated: 0, couponsIssued: 0, lotsRevalidated: 0, availableTold: 0 };
    const batchesMax = opts.batchesMax ?? 1000;
    const tx = this.ledger.tx;
    result.lotsRevalidated = await this.validity.run(batchesMax);
    // One pass in member id order: a batch partly held by another instance is left to it and this run
    // moves on to the next members (re-reading the same first batch would stall on it).
    let afterMemberId = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
      const nowMs = this.clock().getTime();
      const due = await tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .select('DISTINCT l.member_id', 'memberId')
        .where('l.expires_at <= :now AND l.remaining > 0 AND l.member_id > :after', { now: nowMs, after: afterMemberId })
        .orderBy('l.member_id', 'ASC')
        .limit(ExpiryService.MEMBERS_PER_BATCH_MAX)
        .getRawMany<{ memberId: number }>();
      if (due.length === 0) break;
      const ids = due.map((d) => Number(d.memberId));
      afterMemberId = Math.max(...ids);
      const done = await tx.run((m) => this.expireBatch(m, ids, nowMs, opts.actor ?? 'job:expiry', result));
      result.membersSkipped += ids.length - done;
    }
    result.remindersCreated = await this.remind();
    result.availableTold = await announceAvailable(tx, this.clock().getTime());
    return result;
  }

  private async expireBatch(m: EntityManager, ids: number[], nowMs: number, actor: string, result: ExpiryRunResult): Promise<number> {
    const qb = m.getRepository(MemberAccountEntity).createQueryBuilder('a').where('a.member_id IN (:...ids)', { ids }).orderBy('a.member_id', 'ASC');
    const accounts = await this.ledger.tx.forUpdateSkipLocked(qb).getMany();
    if (accounts.length === 0) return 0;
    const lots = await m
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .where('l.member_id IN (:...ids) AND l.expires_at <= :now AND l.remaining > 0', { ids: accounts.map((a) => a.memberId), now: nowMs })
      .orderBy('l.member_id', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
    for (const account of accounts) {
      const byDate = new Map<number, PointsLot[]>();
      for (const lot of lots) if (lot.memberId === account.memberId) byDate.set(lot.expiresAt, [...(byDate.get(lot.expiresAt) ?? []), lot]);
      for (const [expiresAt, group] of [...byDate.entries()].sort((a, b) => a[0] - b[0])) {
        let expired = 0;
        for (const lot of group) {
          const points = lot.remaining;
          if (await this.ledger.expireLot(m, account, lot, actor)) {
            result.lotsExpired += 1;
            result.pointsExpired += points;
            expired += points;
          }
        }
        if (expired === 0) continue;
        const coupon = await this.coupons.issueForExpiry(m, account.memberId, expiresAt, expired);
        if (coupon) result.couponsIssued += 1;
        await notify(
          m,
          {
            memberId: account.memberId,
            kind: 'EXPIRED',
            title: '积分已过期',
            body: `${expired} 分已于 ${formatLocal(new Date(expiresAt - 1), this.rules.timezone, 'M月D日')} 到期清零。${coupon ? `已为您返还 ${coupon.valueFen / 100} 元优惠券,见「卡券」。` : ''}`,
            dedupeKey: `expired:${account.memberId}:${expiresAt}`,
          },
          nowMs,
        );
      }
    }
    return accounts.length;
  }

  /**
   * Reminders per member and expiry date (not per lot), 90 and 7 days ahead (config), with the figure of the
   * moment: one grouped query per page of members. The 7-day one (the smallest threshold) carries the offer: a
   * shelf discount for that member until the date. Each page is one transaction; keys already told are
   * skipped, and a key another instance wrote meanwhile is skipped on the unique violation (row by row).
   */
  async remind(): Promise<number> {
    const now = this.clock();
    const nowMs = now.getTime();
    const horizon = nowMs + Math.max(...this.rules.expiry.reminderDays, 0) * 86_400_000 + 86_400_000;
    const lastCall = Math.min(...this.rules.expiry.reminderDays);
    const tx = this.ledger.tx;
    let created = 0;
    let afterMemberId = 0;
    while (created < ExpiryService.REMINDERS_PER_RUN_MAX) {
      const members = await tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .select('DISTINCT l.member_id', 'memberId')
        .where('l.remaining > 0 AND l.expires_at > :now AND l.expires_at <= :horizon AND l.member_id > :after', { now: nowMs, horizon, after: afterMemberId })
        .orderBy('l.member_id', 'ASC')
        .limit(ExpiryService.REMINDER_MEMBERS_PAGE_MAX)
        .getRawMany<{ memberId: number | string }>();
      if (members.length === 0) break;
      const ids = members.map((r) => Number(r.memberId));
      afterMemberId = Math.max(...ids);
      const groups = await tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .select('l.member_id', 'memberId')
        .addSelect('l.expires_at', 'expiresAt')
        .addSelect('SUM(l.remaining)', 'points')
        .where('l.member_id IN (:...ids) AND l.remaining > 0 AND l.expires_at > :now AND l.expires_at <= :horizon', { ids, now: nowMs, horizon })
        .groupBy('l.member_id')
        .addGroupBy('l.expires_at')
        .getRawMany<{ memberId: number | string; expiresAt: number | string; points: number | string }>();
      const due = groups.flatMap((g) => {
        const memberId = Number(g.memberId);
        const expiresAt = Number(g.expiresAt);
        const days = reminderDue(new Date(expiresAt), now, this.rules);
        return days === null ? [] : [{ memberId, expiresAt, points: Number(g.points), days, dedupeKey: `expiry:${memberId}:${expiresAt}:${days}` }];
      });
      if (due.length === 0) continue;
      const sent = await tx.manager.getRepository(NotificationEntity).find({ select: { id: true, dedupeKey: true }, where: { dedupeKey: In(due.map((d) => d.dedupeKey)) } });
      const sentKeys = new Set(sent.map((n) => n.dedupeKey));
      const todo = due.filter((d) => !sentKeys.has(d.dedupeKey)).slice(0, ExpiryService.REMINDERS_PER_RUN_MAX - created);
      for (const d of todo) {
        try {
          await tx.run(async (m) => {
            const offered = d.days === lastCall && (await this.coupons.grantOffer(m, d.memberId, d.expiresAt, d.dedupeKey));
            await notify(m, this.reminder(d, offered), nowMs);
          });
          created += 1;
        } catch (e) {
          if (!isUniqueViolation(e)) throw e; // another instance told it just now
        }
      }
    }
    return created;
  }

  private reminder(d: { memberId: number; expiresAt: number; points: number; dedupeKey: string }, offered: boolean): NoticeInput {
    const tz = this.rules.timezone;
    const c = this.rules.expiryCoupon;
    const parts = [`${expiryReminderText(d.points, d.expiresAt, tz)},请尽快使用。`];
    if (offered) {
      parts.push(`专享:${formatLocal(new Date(d.expiresAt - 1), tz, 'M月D日')} 前兑换货架 ${(100 - c.offerPct) / 10} 折(如 100 分的商品只需 ${offerPrice(100, c.offerPct)} 分)。`);
    }
    if (c.enabled) parts.push(`未用完的每 ${c.pointsPerCoupon} 分将返还 ${c.valueFen / 100} 元优惠券。`);
    return { memberId: d.memberId, kind: 'EXPIRY_REMINDER', title: '积分即将过期', body: parts.join(''), dedupeKey: d.dedupeKey };
  }
}
