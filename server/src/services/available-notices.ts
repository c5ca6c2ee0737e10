import { In } from 'typeorm';
import { NotificationEntity, PointsLotEntity } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import { notify } from './outbox';

/** How far back the job looks for lots that became spendable (it runs hourly; a missed day is still told). */
const LOOKBACK_MS = 3 * 86_400_000;
const PAGE_MAX = 500;

/**
 * "Pending became available" notices (issue 11.5): purchase points wait out the return window and then become
 * spendable without any write, so the expiry job looks for lots whose activation passed lately and tells each
 * once (dedupe key per lot). Bounded per run; a lot already spent or reversed (remaining 0) is not announced.
 */
export async function announceAvailable(tx: TxRunner, nowMs: number): Promise<number> {
  const lots = await tx.manager
    .getRepository(PointsLotEntity)
    .createQueryBuilder('l')
    .where('l.activates_at > l.earned_at AND l.activates_at <= :now AND l.activates_at > :since AND l.remaining > 0', { now: nowMs, since: nowMs - LOOKBACK_MS })
    .orderBy('l.id', 'ASC')
    .limit(PAGE_MAX)
    .getMany();
  if (lots.length === 0) return 0;
  const keys = lots.map((l) => `available:${l.id}`);
  const told = new Set((await tx.manager.getRepository(NotificationEntity).find({ select: { id: true, dedupeKey: true }, where: { dedupeKey: In(keys) } })).map((n) => n.dedupeKey));
  let created = 0;
  for (const l of lots) {
    if (told.has(`available:${l.id}`)) continue;
    try {
      await tx.run((m) => notify(m, { memberId: l.memberId, kind: 'POINTS_AVAILABLE', title: '积分已生效', body: `${l.remaining} 积分已过退货期,现在可以使用了。`, dedupeKey: `available:${l.id}` }, nowMs));
      created += 1;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return created;
}
