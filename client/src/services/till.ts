import { purchaseResponse, redemptionSchema, refundResponse, tillMemberResponse, type PurchaseResponse, type RedemptionDto, type RefundResponse, type TillMemberResponse } from '@jifen/shared'
import { z } from 'zod'
import { request } from './request'

export type { PurchaseResponse, RefundResponse, TillMemberResponse }

/**
 * POST /till/purchases. The store comes from the clerk's token; store + order number is the natural idempotency
 * key on the server, and the action's key is sent too so a retried tap is recognisably the same request.
 */
export function postPurchase(
  input: { memberCode: string; orderNo: string; amountFen: number; pointsToUse?: number; confirmLargeAmount?: boolean },
  idempotencyKey: string,
): Promise<PurchaseResponse> {
  return request({ method: 'POST', path: '/till/purchases', body: input, idempotencyKey, auth: 'staff', schema: purchaseResponse })
}

/** POST /till/purchases/:orderNo/refunds: points reversed in proportion to the money refunded. */
export function refundPurchase(orderNo: string, amountFen: number, idempotencyKey: string): Promise<RefundResponse> {
  return request({
    method: 'POST',
    path: `/till/purchases/${encodeURIComponent(orderNo)}/refunds`,
    body: { amountFen },
    idempotencyKey,
    auth: 'staff',
    schema: refundResponse,
  })
}

/** POST /till/redemptions/:pickupCode/fulfil: hand over a redeemed reward. */
export async function fulfilRedemption(pickupCode: string): Promise<RedemptionDto> {
  const out = await request({
    method: 'POST',
    path: `/till/redemptions/${encodeURIComponent(pickupCode)}/fulfil`,
    auth: 'staff',
    schema: z.object({ redemption: redemptionSchema }),
  })
  return out.redemption
}

/** POST /till/members/lookup: the scanned member's nickname and spendable points (the code is not used up). */
export function lookupMember(memberCode: string): Promise<TillMemberResponse> {
  return request({ method: 'POST', path: '/till/members/lookup', body: { memberCode }, auth: 'staff', schema: tillMemberResponse })
}
