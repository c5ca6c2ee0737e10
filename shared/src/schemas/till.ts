import { z } from 'zod';
import { AMOUNT_FEN_MAX, breakdownLineSchema } from './common';

// 48 so the ledger reference '<storeId>:<orderNo>' always fits ref_id (64).
export const ORDER_NO_MAX = 48;
export const MEMBER_CODE_MAX = 32;
export const orderNoSchema = z.string().min(1).max(ORDER_NO_MAX).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
export const memberCodeSchema = z.string().min(3).max(MEMBER_CODE_MAX).regex(/^[0-9A-Za-z-]+$/);
export const amountFenSchema = z.number().int().min(1).max(AMOUNT_FEN_MAX);

export const purchaseRequest = z.strictObject({
  memberCode: memberCodeSchema,
  orderNo: orderNoSchema,
  amountFen: amountFenSchema,
  /** Points paying part of the order (积分抵扣) at the anchor; at most rules.till.pointsShareMaxPct of it. */
  pointsToUse: z.number().int().min(0).max(100_000_000).optional(),
  /** Required (true) when amountFen is above rules.till.largeAmountConfirmFen, else 409 LARGE_AMOUNT_CONFIRM. */
  confirmLargeAmount: z.boolean().optional(),
});
export type PurchaseRequest = z.infer<typeof purchaseRequest>;
export const purchaseResponse = z.object({
  purchaseId: z.number().int(),
  orderNo: z.string(),
  memberId: z.number().int(),
  amountFen: z.number().int(),
  pointsAwarded: z.number().int(),
  breakdown: z.array(breakdownLineSchema),
  pendingUntil: z.string().nullable(),
  balance: z.number().int(),
  /** Points that paid part of the order, their value in fen, and the cash part (the part that earns). */
  pointsUsed: z.number().int(),
  pointsFen: z.number().int(),
  cashFen: z.number().int(),
});
export type PurchaseResponse = z.infer<typeof purchaseResponse>;

export const refundRequest = z.strictObject({ amountFen: amountFenSchema });
export const refundResponse = z.object({
  orderNo: z.string(),
  refundFen: z.number().int(),
  refundedFenTotal: z.number().int(),
  pointsReversed: z.number().int(),
  /** Points that had paid for the order, given back in proportion to the money refunded. */
  pointsReturned: z.number().int(),
  balance: z.number().int(),
});
export type RefundResponse = z.infer<typeof refundResponse>;

export const pickupCodeSchema = z.string().regex(/^[2-9A-Z]{10}$/);

/** The clerk's look at a scanned member before posting (the code is not used up). */
export const tillMemberRequest = z.strictObject({ memberCode: memberCodeSchema });
export const tillMemberResponse = z.object({
  member: z.object({ id: z.number().int(), nickname: z.string() }),
  /** Points the member can spend now (active lots, less any debt). */
  spendablePoints: z.number().int(),
  pointsShareMaxPct: z.number().int(),
});
export type TillMemberResponse = z.infer<typeof tillMemberResponse>;
