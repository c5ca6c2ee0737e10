import { couponRedeemResponse, couponsResponse, donationResponse, type CouponRedeemResponse, type CouponsResponse, type DonationResponse } from '@jifen/shared'
import { request } from './request'

export type { CouponsResponse, CouponRedeemResponse, DonationResponse }

/** GET /me/coupons: the member's 卡券 (coupons from expired points), the running shelf offer and the charity pool. */
export function getMyCoupons(): Promise<CouponsResponse> {
  return request({ path: '/me/coupons', auth: 'member', schema: couponsResponse })
}

/** POST /me/donations: give points (the soonest-expiring first) to the charity pool. */
export function donatePoints(points: number, idempotencyKey: string): Promise<DonationResponse> {
  return request({ method: 'POST', path: '/me/donations', body: { points }, idempotencyKey, auth: 'member', schema: donationResponse })
}

/** POST /till/coupons/redeem: the clerk applies a member's coupon to an order (single use). */
export function redeemCoupon(input: { code: string; orderNo: string; amountFen: number }): Promise<CouponRedeemResponse> {
  return request({ method: 'POST', path: '/till/coupons/redeem', body: input, auth: 'staff', schema: couponRedeemResponse })
}
