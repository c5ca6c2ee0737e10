import type { EntityManager } from 'typeorm';
import { formatLocal, type RulesConfig } from '@jifen/shared';
import { MemberAccountEntity, PointsLotEntity, type PointsLot } from '../server/src/db/entities';
import type { Clock } from '../server/src/clock';
import type { LedgerService } from '../server/src/services/ledger.service';
import type { CouponsService } from '../server/src/services/coupons.service';
import { notify } from '../server/src/services/outbox';

/**
 * The expiry loop as it was before issue 14.2, kept for the bench only (bench/expiry.ts measures it beside the
 * set-based job in the same run): 100 members a transaction claimed with FOR UPDATE SKIP LOCKED, then one lot
 * at a time through LedgerService.expireLot, a coupon and a notice per member and date.
 */
export async function legacyExpire(ledger: LedgerService, rules: RulesConfig, clock: Clock, coupons: CouponsService): Promise<{ lotsExpired: number; pointsExpired: number }> {
  const result = { lotsExpired: 0, pointsExpired: 0 };
  const tx = ledger.tx;
  let afterMemberId = 0;
  for (let batch = 0; batch < 1000; batch++) {
    const nowMs = clock().getTime();
    const due = await tx.manager
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .select('DISTINCT l.member_id', 'memberId')
      .where('l.expires_at <= :now AND l.remaining > 0 AND l.member_id > :after', { now: nowMs, after: afterMemberId })
      .orderBy('l.member_id', 'ASC')
      .limit(100)
      .getRawMany<{ memberId: number }>();
    if (due.length === 0) break;
    const ids = due.map((d) => Number(d.memberId));
    afterMemberId = Math.max(...ids);
    await tx.run(async (m: EntityManager) => {
      const qb = m.getRepository(MemberAccountEntity).createQueryBuilder('a').where('a.member_id IN (:...ids)', { ids }).orderBy('a.member_id', 'ASC');
      const accounts = await tx.forUpdateSkipLocked(qb).getMany();
      if (accounts.length === 0) return;
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
            if (await ledger.expireLot(m, account, lot, 'bench:legacy')) {
              result.lotsExpired += 1;
              result.pointsExpired += points;
              expired += points;
            }
          }
          if (expired === 0) continue;
          const coupon = await coupons.issueForExpiry(m, account.memberId, expiresAt, expired);
          await notify(
            m,
            {
              memberId: account.memberId,
              kind: 'EXPIRED',
              title: '积分已过期',
              body: `${expired} 分已于 ${formatLocal(new Date(expiresAt - 1), rules.timezone, 'M月D日')} 到期清零。${coupon ? `已为您返还 ${coupon.valueFen / 100} 元优惠券,见「卡券」。` : ''}`,
              dedupeKey: `expired:${account.memberId}:${expiresAt}`,
            },
            nowMs,
          );
        }
      }
    });
  }
  return result;
}
