import { EntitySchema } from 'typeorm';
import { int, intNull, ms, pk, str, text } from '../columns';

/** A posted till order; (store_id, order_no) is unique and is the natural idempotency key. */
export interface Purchase {
  id: number;
  storeId: number;
  orderNo: string;
  memberId: number;
  amountFen: number;
  pointsAwarded: number;
  refundedFen: number;
  reversedPoints: number;
  entryId: number;
  breakdown: string; // JSON BreakdownLine[]
  campaignId: number | null;
  campaignBonus: number;
  clerkId: number;
  createdAt: number;
  /** 积分抵扣 (issue 11.7): points that paid part of the order, their value, given back so far, the REDEEM entry. */
  pointsUsed: number;
  pointsFen: number;
  pointsReturned: number;
  redeemEntryId: number | null;
}

export const PurchaseEntity = new EntitySchema<Purchase>({
  name: 'Purchase',
  tableName: 'purchase',
  columns: {
    id: pk,
    storeId: { ...int, name: 'store_id' },
    orderNo: { ...str(64), name: 'order_no' },
    memberId: { ...int, name: 'member_id' },
    amountFen: { ...int, name: 'amount_fen' },
    pointsAwarded: { ...int, name: 'points_awarded' },
    refundedFen: { ...int, name: 'refunded_fen' },
    reversedPoints: { ...int, name: 'reversed_points' },
    entryId: { ...int, name: 'entry_id' },
    breakdown: text,
    campaignId: { ...intNull, name: 'campaign_id' },
    campaignBonus: { ...int, name: 'campaign_bonus' },
    clerkId: { ...int, name: 'clerk_id' },
    createdAt: { ...ms, name: 'created_at' },
    pointsUsed: { ...int, name: 'points_used', default: 0 },
    pointsFen: { ...int, name: 'points_fen', default: 0 },
    pointsReturned: { ...int, name: 'points_returned', default: 0 },
    redeemEntryId: { ...intNull, name: 'redeem_entry_id' },
  },
});
