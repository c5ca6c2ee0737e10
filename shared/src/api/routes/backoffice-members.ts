import { z } from 'zod';
import { idParamSchema } from '../../schemas/common';
import { phoneBindRequest, phoneBindResponse } from '../../schemas/phone';
import { adminLedgerPageResponse, adminLedgerQuery, memberDetailResponse, memberSearchQuery, memberSearchResponse } from '../../schemas/members-admin';
import {
  adjustmentDecisionRequest,
  adjustmentListQuery,
  adjustmentListResponse,
  adjustmentRequest,
  adjustmentResponse,
  importCommitResponse,
  importPreviewResponse,
  importQuery,
  importSchema,
} from '../../schemas/adjustments';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };
/** Who looks members up (issue 9: service, marketing, admin). */
const MEMBER_READERS = ['service', 'marketing', 'admin'] as const;
/** Who adjusts points: service within a limit (larger ones wait for an admin), admin directly. */
const ADJUSTERS = ['service', 'admin'] as const;
/** Bulk imports are admin only: a file of many small rows would otherwise get round service's approval limit. */
const IMPORTERS = ['admin'] as const;

/** Members (phone, search, member page), adjustments with approval, bulk imports (issue 9 items 3-5). */
export const BACKOFFICE_MEMBER_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/me/phone',
    access: 'member',
    tag: 'member',
    summary: 'Binds the phone number: the code from a getPhoneNumber button, exchanged on the server (dev mode: dev:13800138000).',
    body: phoneBindRequest,
    response: phoneBindResponse,
    errors: ['PHONE_CODE_INVALID', 'PHONE_IN_USE', 'WECHAT_UNAVAILABLE'],
    example: { request: { code: 'dev:13800138000' }, response: { phone: '138****8000' } },
  },
  {
    method: 'GET',
    path: '/admin/members',
    access: MEMBER_READERS,
    tag: 'admin: members',
    summary: 'Finds members by phone, member number, openid (exact) or nickname (prefix); newest first without q. Phones masked except for admin.',
    query: memberSearchQuery,
    response: memberSearchResponse,
  },
  {
    method: 'GET',
    path: '/admin/members/:id',
    access: MEMBER_READERS,
    tag: 'admin: members',
    summary: 'The member page: account, tier, lots with expiry, newest ledger page, redemptions, notices, adjustments.',
    params: id,
    response: memberDetailResponse,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/admin/members/:id/ledger',
    access: MEMBER_READERS,
    tag: 'admin: members',
    summary: "A member's ledger, newest first, by cursor (with who booked each entry).",
    params: id,
    query: adminLedgerQuery,
    response: adminLedgerPageResponse,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/admin/members/:id/adjustments',
    access: ADJUSTERS,
    tag: 'admin: adjustments',
    summary:
      'Adjusts points with a reason (ADJUST entry naming the staff member). 201 applied; 202 a request waiting for an admin (service, above the configured size). allowDebt is admin only.',
    params: id,
    body: adjustmentRequest,
    status: 201,
    response: adjustmentResponse,
    idempotencyKey: 'required',
    errors: ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH', 'NOT_FOUND', 'INSUFFICIENT_POINTS'],
    example: { request: { points: 200, reason: '补发活动积分' } },
  },
  {
    method: 'GET',
    path: '/admin/adjustments',
    access: ADJUSTERS,
    tag: 'admin: adjustments',
    summary: 'Adjustments newest first, by status (pending = the approval queue).',
    query: adjustmentListQuery,
    response: adjustmentListResponse,
  },
  {
    method: 'POST',
    path: '/admin/adjustments/:id/approve',
    access: ['admin'],
    tag: 'admin: adjustments',
    summary: 'Approves a pending adjustment and applies it, exactly once; nobody approves their own request.',
    params: id,
    body: adjustmentDecisionRequest,
    response: adjustmentResponse,
    errors: ['NOT_FOUND', 'ADJUSTMENT_DECIDED', 'SELF_APPROVAL', 'INSUFFICIENT_POINTS'],
  },
  {
    method: 'POST',
    path: '/admin/adjustments/:id/reject',
    access: ['admin'],
    tag: 'admin: adjustments',
    summary: 'Rejects a pending adjustment (nothing is booked).',
    params: id,
    body: adjustmentDecisionRequest,
    response: adjustmentResponse,
    errors: ['NOT_FOUND', 'ADJUSTMENT_DECIDED'],
  },
  {
    method: 'POST',
    path: '/admin/adjustments/imports',
    access: IMPORTERS,
    tag: 'admin: adjustments',
    summary:
      'Uploads a CSV (text/csv body, UTF-8 with or without BOM, or GB18030 as Excel saves it; columns: phone or member number, points, reason; optional header row; at most 10,000 rows and 1 MB) and answers a preview; nothing is booked.',
    query: importQuery,
    bodyType: 'csv',
    status: 201,
    response: importPreviewResponse,
    errors: ['IMPORT_TOO_LARGE'],
  },
  {
    method: 'GET',
    path: '/admin/adjustments/imports/:id',
    access: IMPORTERS,
    tag: 'admin: adjustments',
    summary: 'An import with its preview and commit progress.',
    params: id,
    response: importSchema,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/admin/adjustments/imports/:id/commit',
    access: IMPORTERS,
    tag: 'admin: adjustments',
    summary: 'Applies the valid rows exactly once, in bounded batches; a second or concurrent submit, or one after a crash, continues and answers the same count.',
    params: id,
    bodyType: 'none',
    response: importCommitResponse,
    errors: ['NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/admin/adjustments/imports/:id/result.csv',
    access: IMPORTERS,
    tag: 'admin: adjustments',
    summary: 'The import result as CSV (UTF-8 with BOM for Excel): each line with its outcome and ledger entry.',
    params: id,
    response: z.string(),
    errors: ['NOT_FOUND'],
  },
];
