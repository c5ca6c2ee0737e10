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

  constructor(private readonly ledger: LedgerService, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  async run(opts: { batchesMax?: number; actor?: string } = {}): Promise<ExpiryRunResult> {
    const result: ExpiryRunResult = { lotsExpired: 0, pointsExpired: 0, membersSkipped: 0, remindersCreated: 0 };
    const batchesMax = opts.batchesMax ?? 1000;
    const tx = this.ledger.tx;
    for (let batch = 0; batch < batchesMax; batch++) {
      const nowMs = this.clock().getTime();
      const due = await tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .select('DISTINCT l.member_id', 'memberId')
        .where('l.expires_at <= :now AND l.remaining > 0', { now: nowMs })
        .limit(ExpiryService.MEMBERS_PER_BATCH_MAX)
        .getRawMany<{ memberId: number }>();
      if (due.length === 0) break;
      const ids = due.map((d) => Number(d.memberId));
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
      if (done === 0) break; // every due member is being handled by another instance right now
    }
    result.remindersCreated = await this.remind();
    return result;
  }

  /** Reminder notifications 90 and 7 days ahead (config), once per lot and threshold. */
  async remind(): Promise<number> {
    const now = this.clock();
    const horizon = now.getTime() + Math.max(...this.rules.expiry.reminderDays, 0) * 86_400_000 + 86_400_000;
    const lots = await this.ledger.tx.manager
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .where('l.remaining > 0 AND l.expires_at > :now AND l.expires_at <= :horizon', { now: now.getTime(), horizon })
      .orderBy('l.expires_at', 'ASC')
      .limit(ExpiryService.REMINDERS_PER_RUN_MAX)
      .getMany();
    let created = 0;
    for (const lot of lots) {
      const days = reminderDue(new Date(lot.expiresAt), now, this.rules);
      if (days === null) continue;
      try {
        await this.ledger.tx.manager.getRepository(NotificationEntity).insert({
          memberId: lot.memberId,
          kind: 'EXPIRY_REMINDER',
          title: '积分即将过期',
          body: `您有 ${lot.remaining} 积分将于 ${formatLocal(new Date(lot.expiresAt - 1), this.rules.timezone, 'YYYY年M月D日')} 过期,请尽快使用。`,
          dedupeKey: `expiry:${lot.id}:${days}`,
          createdAt: now.getTime(),
          readAt: null,
        });
        created += 1;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return created;
  }
}
