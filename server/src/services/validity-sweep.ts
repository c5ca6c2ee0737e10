import type { EntityManager } from 'typeorm';
import { isActiveMember, lotExpiresAtFor, type RulesConfig } from '@jifen/shared';
import { PointsLotEntity, PurchaseEntity } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';

const DAY_MS = 86_400_000;

/** The member's last purchase (null if none): what makes them active under the validity policy. */
export async function lastPurchaseAt(m: EntityManager, memberId: number): Promise<number | null> {
  const row = await m.getRepository(PurchaseEntity).createQueryBuilder('p').select('MAX(p.created_at)', 'at').where('p.member_id = :memberId', { memberId }).getRawOne<{ at: number | string | null }>();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/**
 * Tiered validity (issue 11.3, config `validity`): re-dates live lots when a member's activity changes. An
 * active member's lots are extended to the long validity at once; an inactive member's are shortened only
 * when the shorter date still leaves time for the first reminder (so nobody loses points they were not
 * told about). Set-based per batch of members: one read of their last purchases, one of their live lots, then
 * one UPDATE per distinct new date, under the batch's account locks.
 */
export class ValiditySweep {
  static readonly MEMBERS_PER_BATCH_MAX = 500;

  constructor(private readonly tx: TxRunner, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  async run(batchesMax: number): Promise<number> {
    if (!this.rules.validity.enabled) return 0;
    let changed = 0;
    let afterMemberId = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
      const rows = await this.tx.manager
        .getRepository(PointsLotEntity)
        .createQueryBuilder('l')
        .select('DISTINCT l.member_id', 'memberId')
        .where('l.remaining > 0 AND l.member_id > :after', { after: afterMemberId })
        .orderBy('l.member_id', 'ASC')
        .limit(ValiditySweep.MEMBERS_PER_BATCH_MAX)
        .getRawMany<{ memberId: number | string }>();
      if (rows.length === 0) break;
      const ids = rows.map((r) => Number(r.memberId));
      afterMemberId = Math.max(...ids);
      changed += await this.tx.run((m) => this.batch(m, ids));
    }
    return changed;
  }

  private async batch(m: EntityManager, ids: number[]): Promise<number> {
    const nowMs = this.clock().getTime();
    const lockQb = m.getRepository('MemberAccount').createQueryBuilder('a').where('a.member_id IN (:...ids)', { ids }).orderBy('a.member_id', 'ASC');
    await this.tx.forUpdate(lockQb).getMany();
    const purchases = await m
      .getRepository(PurchaseEntity)
      .createQueryBuilder('p')
      .select('p.member_id', 'memberId')
      .addSelect('MAX(p.created_at)', 'at')
      .where('p.member_id IN (:...ids)', { ids })
      .groupBy('p.member_id')
      .getRawMany<{ memberId: number | string; at: number | string }>();
    const last = new Map(purchases.map((p) => [Number(p.memberId), Number(p.at)]));
    const lots = await m
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .select(['l.id', 'l.memberId', 'l.earnedAt', 'l.expiresAt'])
      .where('l.member_id IN (:...ids) AND l.remaining > 0 AND l.expires_at > :now', { ids, now: nowMs })
      .getMany();
    const floorMs = nowMs + (Math.max(...this.rules.expiry.reminderDays, 0) + 1) * DAY_MS;
    const byTarget = new Map<number, number[]>();
    for (const lot of lots) {
      const active = isActiveMember(last.get(lot.memberId) ?? null, nowMs, this.rules);
      const target = lotExpiresAtFor(new Date(lot.earnedAt), active, this.rules).getTime();
      const move = target > lot.expiresAt || (target < lot.expiresAt && target >= floorMs);
      if (move) byTarget.set(target, [...(byTarget.get(target) ?? []), lot.id]);
    }
    let changed = 0;
    for (const [target, lotIds] of byTarget) {
      const r = await m.getRepository(PointsLotEntity).createQueryBuilder().update().set({ expiresAt: target }).where('id IN (:...lotIds)', { lotIds }).execute();
      changed += r.affected ?? lotIds.length;
    }
    return changed;
  }
}
