import { z } from 'zod';
import { orderNoSchema, pickupCodeSchema, purchaseRequest, purchaseResponse, refundRequest, refundResponse } from '../../schemas/till';
import { redemptionSchema } from '../../schemas/rewards';
import type { RouteSpec } from '../contract';

/** The till: clerks only, and always for the store their account belongs to (never one named in the request). */
export const TILL_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/till/purchases',
    access: ['clerk'],
    tag: 'till',
    summary: 'Posts an order for the member whose code was scanned. Idempotent on (store, orderNo): a retry answers the first result (200).',
    body: purchaseRequest,
    status: 201,
    response: purchaseResponse,
    errors: ['CODE_INVALID', 'CODE_USED', 'ORDER_CONFLICT', 'STORE_CLOSED'],
    example: { request: { memberCode: '<from GET /me/code>', orderNo: 'A-20261202-0001', amountFen: 12800 } },
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
    response: z.object({ redemption: redemptionSchema }),
    errors: ['NOT_FOUND', 'ALREADY_FULFILLED', 'REDEMPTION_CANCELLED'],
  },
];
