import { In } from 'typeorm';
import { reminderDue, formatLocal, type RulesConfig } from '@jifen/shared';
import { MemberAccountEntity, NotificationEntity, PointsLotEntity } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';

export interface ExpiryRunResult {
  lotsExpired: number;
  pointsExpired: number;
  membersSkipped: number;
  remindersCreated: number;
}

/**
 * Expires due lots in bounded batches. Members are claimed with FOR UPDATE SKIP LOCKED on their account
 * rows (MySQL), so two instances running at once split the work and never expire a lot twice; the
 * lot's remainder is re-read under that lock before it is expired.
 */
export class ExpiryService {
  static readonly MEMBERS_PER_BATCH_MAX = 100;
  static readonly REMINDERS_PER_RUN_MAX = 5000;
  static readonly REMINDER_PAGE_MAX = 500;

  constructor(private readonly ledger: LedgerService, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  async run(opts: { batchesMax?: number; actor?: string } = {}): Promise<ExpiryRunResult> {
    const result: ExpiryRunResult = { lotsExpired: 0, pointsExpired: 0, membersSkipped: 0, remindersCreated: 0 };
    const batchesMax = opts.batchesMax ?? 1000;
    const tx = this.ledger.tx;
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
      const done = await tx.run(async (m) => {
        const qb = m.getRepository(MemberAccountEntity).createQueryBuilder('a').where('a.member_id IN (:...ids)', { ids });
        const accounts = await tx.forUpdateSkipLocked(qb).getMany();
        for (const account of accounts) {
          const lots = await m
            .getRepository(PointsLotEntity)
            .createQueryBuilder('l')
            .where('l.member_id = :id AND l.expires_at <= :now AND l.remaining > 0', { id: account.memberId, now: nowMs })
            .orderBy('l.id', 'ASC')
            .getMany();
          for (const lot of lots) {
            const points = lot.remaining;
            const entry = await this.ledger.expireLot(m, account, lot, opts.actor ?? 'job:expiry');
            if (entry) {
              result.lotsExpired += 1;
              result.pointsExpired += points;
            }
          }
        }
        return accounts.length;
      });
      result.membersSkipped += ids.length - done;
    }
    result.remindersCreated = await this.remind();
    return result;
  }

  /**
   * Reminder notifications 90 and 7 days ahead (config), once per lot and threshold. Pages through every
   * lot in the horizon by id and skips those already reminded (dedupe keys looked up per page), so lots
   * reminded by earlier runs never crowd out the rest (a yearly clear-down puts a whole year's lots in
   * the horizon at once); the cap bounds reminders created per run. Each insert goes through the
   * transaction runner: on SQLite a bare write would join, and vanish with, another request's open
   * transaction.
   */
  async remind(): Promise<number> {
    const now = this.clock();
    const horizon = now.getTime() + Math.max(...this.rules.expiry.reminderDays, 0) * 86_400_000 + 86_400_000;
    const tx = this.ledger.tx;
    let created = 0;
    let afterId = 0;
    while (created < ExpiryService.REMINDERS_PER_RUN_MAX) {
      const lots = await tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .where('l.remaining > 0 AND l.expires_at > :now AND l.expires_at <= :horizon AND l.id > :afterId', { now: now.getTime(), horizon, afterId })
        .orderBy('l.id', 'ASC')
        .limit(ExpiryService.REMINDER_PAGE_MAX)
        .getMany();
      if (lots.length === 0) break;
      afterId = lots[lots.length - 1]!.id;
      const due = lots.flatMap((lot) => {
        const days = reminderDue(new Date(lot.expiresAt), now, this.rules);
        return days === null ? [] : [{ lot, dedupeKey: `expiry:${lot.id}:${days}` }];
      });
      if (due.length === 0) continue;
      const sent = await tx.manager.getRepository(NotificationEntity).find({ select: { id: true, dedupeKey: true }, where: { dedupeKey: In(due.map((d) => d.dedupeKey)) } });
      const sentKeys = new Set(sent.map((n) => n.dedupeKey));
      for (const { lot, dedupeKey } of due) {
        if (sentKeys.has(dedupeKey) || created >= ExpiryService.REMINDERS_PER_RUN_MAX) continue;
        try {
          await tx.run((m) =>
            m.getRepository(NotificationEntity).insert({
              memberId: lot.memberId,
              kind: 'EXPIRY_REMINDER',
              title: '积分即将过期',
              body: `您有 ${lot.remaining} 积分将于 ${formatLocal(new Date(lot.expiresAt - 1), this.rules.timezone, 'YYYY年M月D日')} 过期,请尽快使用。`,
              dedupeKey,
              createdAt: now.getTime(),
              readAt: null,
            }),
          );
          created += 1;
        } catch (e) {
          if (!isUniqueViolation(e)) throw e; // another instance sent it just now
        }
      }
    }
    return created;
  }
}
