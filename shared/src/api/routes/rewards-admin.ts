import { z } from 'zod';
import { idParamSchema } from '../../schemas/common';
import {
  rewardAdminListResponse,
  rewardAdminResponse,
  rewardCreateRequest,
  rewardDetailResponse,
  rewardListQuery,
  rewardPatchRequest,
  stockMoveRequest,
  stockMoveResponse,
} from '../../schemas/rewards-admin';
import { UPLOAD_FILE_RE, uploadResponse } from '../../schemas/uploads';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };
/** The catalogue is marketing's, with admin (issue 9 item 1). */
const CATALOGUE = ['marketing', 'admin'] as const;

/** The rewards catalogue and image uploads (issue 9 items 1-2). */
export const REWARDS_ADMIN_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/rewards',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary: 'The catalogue by shelf order, filtered by status, category, title text, low stock (at most 10) or ending within 7 days, with redeemed counts and the categories in use.',
    query: rewardListQuery,
    response: rewardAdminListResponse,
  },
  {
    method: 'POST',
    path: '/admin/rewards',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary: 'Creates a reward (draft unless status says otherwise; status on_sale puts it on the shelf). Images are URLs answered by POST /admin/uploads. pointsPrice defaults to the anchor price of faceValueFen; a price (or schedule step) outside ±anchorBandPct of it needs priceReason (409 PRICE_REASON_REQUIRED).',
    body: rewardCreateRequest,
    status: 201,
    response: rewardAdminResponse,
    errors: ['PRICE_REASON_REQUIRED'],
    example: { request: { title: '10元代金券', faceValueFen: 1000, costFen: 600, pointsPrice: 1000, stock: 500, status: 'on_sale' } },
  },
  {
    method: 'GET',
    path: '/admin/rewards/:id',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary: 'One reward with its price history and latest stock movements, newest first.',
    params: id,
    response: rewardDetailResponse,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'PATCH',
    path: '/admin/rewards/:id',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary: 'Edits any field but stock; a new price (pointsPrice, faceValueFen or costFen) adds a price-history row. No delete: retire (status retired) instead. A new price outside the anchor band needs priceReason (409 PRICE_REASON_REQUIRED); priceSchedule replaces the dated steps.',
    params: id,
    body: rewardPatchRequest,
    response: rewardAdminResponse,
    errors: ['NOT_FOUND', 'PRICE_REASON_REQUIRED'],
    example: { request: { pointsPrice: 900, status: 'paused' } },
  },
  {
    method: 'POST',
    path: '/admin/rewards/:id/stock',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary: 'Moves stock by delta (positive: restock; negative: write-off) with a reason, once per Idempotency-Key; never below zero; each movement a row.',
    params: id,
    body: stockMoveRequest,
    response: stockMoveResponse,
    idempotencyKey: 'required',
    errors: ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH', 'NOT_FOUND', 'STOCK_BELOW_ZERO'],
    example: { request: { delta: 50, reason: '到货补库存' } },
  },
  {
    method: 'POST',
    path: '/admin/uploads',
    access: CATALOGUE,
    tag: 'admin: rewards',
    summary:
      'Uploads an image as the raw body (any Content-Type; the type is read from the bytes): PNG, JPEG or WebP up to 2 MB, else 400 / 413 and nothing is written. Stored by content hash; answers its URL.',
    bodyType: 'image',
    status: 201,
    response: uploadResponse,
    errors: ['UPLOAD_TYPE_UNSUPPORTED', 'UPLOAD_TOO_LARGE'],
  },
  {
    method: 'GET',
    path: '/uploads/:file',
    access: 'public',
    tag: 'meta',
    summary: 'An uploaded image by its content-hash name, with a one-year immutable cache header.',
    params: { file: z.string().regex(UPLOAD_FILE_RE) },
    produces: 'image/*',
    errors: ['NOT_FOUND'],
  },
];
