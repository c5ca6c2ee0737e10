import { formatYuan, refundReversal } from '@jifen/shared';
import { AppError } from '../errors';
import { PurchaseEntity, RefundEntity } from '../db/entities';
import type { Clock } from '../clock';
import { notify } from './outbox';
import type { IdempotencyService, IdemRequest, Outcome } from './idempotency.service';
import type { LedgerService } from './ledger.service';
import type { MemberTiers } from './member-tier';
import type { TillPointsService } from './till-points.service';
import { purchaseRef } from './till-context';
import type { Clerk, RefundHook, RefundResult } from './till.service';

export interface RefundDeps {
  ledger: LedgerService;
  idempotency: IdempotencyService;
  points: TillPointsService;
  clock: Clock;
  refundHooks: RefundHook[];
  tiers: MemberTiers;
}

/** A refund of the clerk's own store's order (another store's order is 404). Idempotency-Key required. */
export async function refundOrder(d: RefundDeps, clerk: Clerk, orderNo: string, refundFen: number, idem: IdemRequest): Promise<Outcome<RefundResult>> {
  const found = await d.ledger.tx.manager.getRepository(PurchaseEntity).findOne({ where: { storeId: clerk.storeId, orderNo } });
  if (!found) throw new AppError('NOT_FOUND');
  return d.idempotency.run(
    idem,
    (m) => d.ledger.lockAccount(m, found.memberId),
    async (m, account) => {
      const p = await m.getRepository(PurchaseEntity).findOneOrFail({ where: { id: found.id } });
      const plan = refundReversal({
        awardedPoints: p.pointsAwarded,
        orderAmountFen: p.amountFen,
        refundedFenBefore: p.refundedFen,
        reversedPointsBefore: p.reversedPoints,
        refundFen,
      });
      if (!plan.ok) throw new AppError('REFUND_EXCEEDS_ORDER', { refundableFen: plan.refundableFen });
      const now = d.clock().getTime();
      const actor = `staff:${clerk.staffId}`;
      // Used points back first, so the reversal below can take from them rather than run the member into debt.
      const pointsReturned = await d.points.giveBack(m, account, p, p.refundedFen + refundFen, actor);
      let entryId: number | null = null;
      if (plan.points > 0) {
        const e = await d.ledger.reverse(m, account, plan.points, purchaseRef(p), {
          code: 'REFUND_REVERSAL',
          reason: `订单 ${p.orderNo} 退款 ${formatYuan(refundFen)} 元`,
          actor,
          reversesEntryId: p.entryId || null,
          ...purchaseRef(p),
        });
        entryId = e.id;
        await notify(m, { memberId: p.memberId, kind: 'REFUND_REVERSAL', title: '退款扣回积分', body: `订单 ${p.orderNo} 退款 ${formatYuan(refundFen)} 元,扣回 ${plan.points} 积分,当前余额 ${account.balance} 积分。` }, now);
      }
      const upd = await m
        .getRepository(PurchaseEntity)
        .createQueryBuilder()
        .update()
        .set({ refundedFen: p.refundedFen + refundFen, reversedPoints: p.reversedPoints + plan.points, pointsReturned: p.pointsReturned + pointsReturned })
        .where('id = :id AND refunded_fen = :before', { id: p.id, before: p.refundedFen })
        .execute();
      if (upd.affected !== 1) throw new Error(`purchase ${p.id} changed under the member lock`);
      const after = { ...p, refundedFen: p.refundedFen + refundFen, reversedPoints: p.reversedPoints + plan.points, pointsReturned: p.pointsReturned + pointsReturned };
      for (const hook of d.refundHooks) await hook(m, account, after);
      // 保级: a tier this order lifted the member to, no longer reached once refunded, is taken back.
      if (plan.points > 0) await d.tiers.afterRefund(m, p.memberId, p.createdAt);
      await m.getRepository(RefundEntity).insert({ purchaseId: p.id, memberId: p.memberId, amountFen: refundFen, pointsReversed: plan.points, entryId, clerkId: clerk.staffId, createdAt: now });
      return {
        status: 201,
        body: { orderNo: p.orderNo, refundFen, refundedFenTotal: p.refundedFen + refundFen, pointsReversed: plan.points, pointsReturned, balance: account.balance },
      };
    },
  );
}
