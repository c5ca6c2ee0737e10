import type { EntityManager } from 'typeorm';
import { formatYuan, lotTotals, planPointsPayment, usedPointsReturn, type RulesConfig, type TillMemberResponse } from '@jifen/shared';
import { AppError } from '../errors';
import { LedgerEntryEntity, MemberAccountEntity, MemberEntity, PointsLotEntity, type MemberAccount, type PointsLot, type Purchase } from '../db/entities';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import { toView } from './ledger-lots';
import type { Ref, WriteBatch } from '../db/write-batch';
import type { MemberCodeService } from './member-code.service';

/** How a purchase is paid: points (a REDEEM entry) and cash; the cash part is what earns. */
export interface PointsPaid {
  pointsUsed: number;
  pointsFen: number;
  cashFen: number;
  redeemEntryId: number | null;
}

/**
 * Points at the till (积分抵扣, issue 11.7). The split is the shared rule planPointsPayment; the debit is FIFO
 * through the ledger inside the purchase's own transaction (so a refused debit leaves no purchase, and the member
 * code is not used up); a refund gives the used points back in proportion, into the lots they came from.
 */
export class TillPointsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly codes: MemberCodeService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  /** The split before any write: 409 POINTS_SHARE_EXCEEDED over the share, 400 POINTS_NOT_WHOLE_FEN off the anchor. */
  plan(amountFen: number, pointsToUse: number): { pointsUsed: number; pointsFen: number; cashFen: number } {
    const plan = planPointsPayment(amountFen, pointsToUse, this.rules);
    if (plan.ok) return plan;
    if (plan.reason === 'SHARE_EXCEEDED') throw new AppError('POINTS_SHARE_EXCEEDED', { maxPoints: plan.maxPoints, pointsShareMaxPct: this.rules.till.pointsShareMaxPct });
    throw new AppError('POINTS_NOT_WHOLE_FEN', { step: plan.step });
  }

  /** Inside the purchase transaction, on the locked account: the REDEEM entry (FIFO; INSUFFICIENT_POINTS rolls all back), queued in the purchase's write batch. */
  async spendInto(m: EntityManager, batch: WriteBatch, account: MemberAccount, plan: { pointsUsed: number; pointsFen: number; cashFen: number }, ref: { refType: string; refId: string; orderNo: string; actor: string }, firstPage?: { lots: PointsLot[]; now: number }): Promise<Omit<PointsPaid, 'redeemEntryId'> & { redeemEntryId: Ref | null }> {
    if (plan.pointsUsed === 0) return { ...plan, redeemEntryId: null };
    const entry = await this.ledger.debitInto(m, batch, account, plan.pointsUsed, {
      code: 'REDEEM',
      reason: `订单 ${ref.orderNo} 积分抵扣 ${formatYuan(plan.pointsFen)} 元`,
      actor: ref.actor,
      refType: ref.refType,
      refId: ref.refId,
    }, firstPage);
    return { ...plan, redeemEntryId: entry.ref };
  }

  /**
   * Inside the refund transaction, before the earned points are reversed (so a reversal can take from the points given
   * back rather than run into debt): the used points in proportion to the money refunded so far. Returns how many.
   */
  async giveBack(m: EntityManager, account: MemberAccount, p: Purchase, refundedFenAfter: number, actor: string): Promise<number> {
    const points = usedPointsReturn({ pointsUsed: p.pointsUsed, orderAmountFen: p.amountFen, refundedFenAfter, returnedBefore: p.pointsReturned });
    if (points === 0 || p.redeemEntryId === null) return 0;
    const original = await m.getRepository(LedgerEntryEntity).findOneOrFail({ where: { id: p.redeemEntryId } });
    await this.ledger.restorePart(m, account, original, points, {
      code: 'REDEEM_CANCEL',
      reason: `订单 ${p.orderNo} 退款,退回抵扣积分`,
      actor,
      refType: original.refType,
      refId: original.refId,
    });
    return points;
  }

  /** The clerk's look at a scanned member before posting: spendable points now; the code is not used up. */
  async preview(memberCode: string): Promise<TillMemberResponse> {
    const memberId = this.codes.resolve(memberCode);
    const m = this.ledger.tx.manager;
    const member = await m.getRepository(MemberEntity).findOne({ where: { id: memberId } });
    const account = await m.getRepository(MemberAccountEntity).findOne({ where: { memberId } });
    if (!member || !account) throw new AppError('CODE_INVALID');
    const lots = await m.getRepository(PointsLotEntity).createQueryBuilder('l').where('l.member_id = :memberId AND l.remaining > 0', { memberId }).getMany();
    const { available } = lotTotals(lots.map(toView), this.clock().getTime(), account.debt);
    return { member: { id: member.id, nickname: member.nickname }, spendablePoints: Math.max(0, available), pointsShareMaxPct: this.rules.till.pointsShareMaxPct };
  }
}
