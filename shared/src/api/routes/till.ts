import { z } from 'zod';
import { orderNoSchema, pickupCodeSchema, purchaseRequest, purchaseResponse, refundRequest, refundResponse, tillMemberRequest, tillMemberResponse } from '../../schemas/till';
import { redemptionSchema } from '../../schemas/rewards';
import type { RouteSpec } from '../contract';

/** The till: clerks only, and always for the store their account belongs to (never one named in the request). */
export const TILL_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/till/purchases',
    access: ['clerk'],
    tag: 'till',
    summary:
      'Posts an order for the member whose code was scanned. Idempotent on (store, orderNo): a retry answers the first result (200), whatever the age of its code. ' +
      'pointsToUse pays part of the order with points at the anchor (a REDEEM entry, at most rules.till.pointsShareMaxPct of it; only the cash part earns). ' +
      'An amount above rules.till.largeAmountConfirmFen needs confirmLargeAmount: true.',
    body: purchaseRequest,
    status: 201,
    response: purchaseResponse,
    errors: ['CODE_INVALID', 'CODE_USED', 'ORDER_CONFLICT', 'STORE_CLOSED', 'LARGE_AMOUNT_CONFIRM', 'POINTS_SHARE_EXCEEDED', 'POINTS_NOT_WHOLE_FEN', 'INSUFFICIENT_POINTS'],
    example: { request: { memberCode: '1-K3Q9ZP4M7XR2T8WA5C', orderNo: 'A-20261202-0001', amountFen: 12800, pointsToUse: 2000 } }, // memberCode: scanned from GET /me/code
  },
  {
    method: 'POST',
    path: '/till/members/lookup',
    access: ['clerk'],
    tag: 'till',
    summary: "The scanned member's nickname and spendable points, before posting (the code is not used up).",
    body: tillMemberRequest,
    response: tillMemberResponse,
    errors: ['CODE_INVALID'],
    example: { request: { memberCode: '1-K3Q9ZP4M7XR2T8WA5C' } },
  },
  {
    method: 'POST',
    path: '/till/purchases/:orderNo/refunds',
    access: ['clerk'],
    tag: 'till',
    summary: "Refunds part or all of an order of the clerk's store; the points earned on the refunded part are reversed.",
    params: { orderNo: orderNoSchema },
    body: refundRequest,
    status: 201,
    response: refundResponse,
    idempotencyKey: 'required',
    errors: ['NOT_FOUND', 'REFUND_EXCEEDS_ORDER', 'IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH'],
  },
  {
    method: 'POST',
    path: '/till/redemptions/:pickupCode/fulfil',
    access: ['clerk'],
    tag: 'till',
    summary: 'Hands over a redeemed reward by its pickup code (once).',
    params: { pickupCode: pickupCodeSchema },
    bodyType: 'none',
    response: z.object({ redemption: redemptionSchema }),
    errors: ['NOT_FOUND', 'ALREADY_FULFILLED', 'REDEMPTION_CANCELLED'],
  },
];
