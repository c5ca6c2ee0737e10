import { couponRedeemRequest, couponRedeemResponse, couponsResponse, donationRequest, donationResponse } from '../../schemas/coupons';
import type { RouteSpec } from '../contract';

/** Expiry that gives back (issue 11.3): the member's coupons and donations, and the till's coupon redemption. */
export const GIVEBACK_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/me/coupons',
    access: 'member',
    tag: 'member',
    summary: 'The member’s coupons (卡券), newest first: available, used or lapsed; with the running shelf offer and the charity pool.',
    response: couponsResponse,
  },
  {
    method: 'POST',
    path: '/me/donations',
    access: 'member',
    tag: 'member',
    summary: 'Donates points (the soonest-expiring first) to the brand’s charity pool: a DONATE entry.',
    body: donationRequest,
    status: 201,
    response: donationResponse,
    idempotencyKey: 'required',
    errors: ['INSUFFICIENT_POINTS', 'DONATION_CLOSED', 'IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH'],
    example: { request: { points: 100 } },
  },
  {
    method: 'POST',
    path: '/till/coupons/redeem',
    access: ['clerk'],
    tag: 'till',
    summary: 'Applies a member’s coupon to an order of the clerk’s store, once. The same store and order again replays the first answer (200).',
    body: couponRedeemRequest,
    status: 201,
    response: couponRedeemResponse,
    errors: ['NOT_FOUND', 'COUPON_USED', 'COUPON_LAPSED', 'COUPON_MIN_SPEND'],
    example: { request: { code: 'QK3Q9ZP4M7', orderNo: 'A-20261202-0002', amountFen: 6800 } },
  },
];
