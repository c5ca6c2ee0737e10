import { idParamSchema } from '../../schemas/common';
import {
  adminDisputeListResponse,
  adminDisputeQuery,
  disputeAnswerRequest,
  disputeAnswerResponse,
  disputeCreateRequest,
  disputeListResponse,
  disputeResponse,
} from '../../schemas/disputes';
import { z } from 'zod';
import { UPLOAD_FILE_RE, uploadResponse } from '../../schemas/uploads';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };
/** Who answers disputes (issue 11: the service role from its queue; admin too). */
const ANSWERERS = ['service', 'admin'] as const;

/** Disputes with a 7-day answer (issue 11 item 2). */
export const DISPUTE_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/me/disputes',
    access: 'member',
    tag: 'member',
    summary: 'Files a dispute (积分申诉), optionally about one of the member\'s ledger entries, with up to 3 images uploaded first (POST /me/uploads; 400 VALIDATION_FAILED for a URL that names no upload of this member\'s own); staff answer within the SLA.',
    body: disputeCreateRequest,
    status: 201,
    response: disputeResponse,
    idempotencyKey: 'required',
    errors: ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH', 'NOT_FOUND', 'DISPUTE_LIMIT', 'VALIDATION_FAILED'],
    example: { request: { entryId: 12, text: '6月3日的消费没有积分' } },
  },
  {
    method: 'POST',
    path: '/me/uploads',
    access: 'member',
    tag: 'member',
    summary:
      'The member uploads an image (a dispute\'s screenshot) as the raw body: the type is read from the bytes, PNG, JPEG or WebP up to 2 MB, else 400 / 413 and nothing is written; at most 20 an hour per member besides the request limit (429). Stored privately (never at the public /uploads/ URL); answers a signed, short-lived URL to show it and to name it in POST /me/disputes.',
    bodyType: 'image',
    status: 201,
    response: uploadResponse,
    errors: ['UPLOAD_TYPE_UNSUPPORTED', 'UPLOAD_TOO_LARGE', 'RATE_LIMITED'],
  },
  {
    method: 'GET',
    path: '/private-uploads/:memberId/:file',
    access: 'public',
    tag: 'member',
    summary:
      "A member's private upload (a dispute's screenshot) at the signed, short-lived URL the API put in the dispute (for the member who owns it and for staff who answer disputes): the signature is the access. Expired → 403 UPLOAD_LINK_EXPIRED, a changed path, expiry or signature → 403 UPLOAD_LINK_INVALID, no such file → 404. Cache-Control: private.",
    params: { memberId: z.string().regex(/^[1-9][0-9]{0,15}$/), file: z.string().regex(UPLOAD_FILE_RE) },
    query: z.object({ exp: z.string(), sig: z.string() }),
    produces: 'image/*',
    errors: ['UPLOAD_LINK_EXPIRED', 'UPLOAD_LINK_INVALID', 'NOT_FOUND'],
  },
  { method: 'GET', path: '/me/disputes', access: 'member', tag: 'member', summary: "The member's disputes, newest first, with status and answer.", response: disputeListResponse },
  {
    method: 'POST',
    path: '/me/disputes/:id/close',
    access: 'member',
    tag: 'member',
    summary: 'The member closes a dispute: withdrawn while open, or settled after the answer.',
    params: id,
    bodyType: 'none',
    response: disputeResponse,
    errors: ['NOT_FOUND', 'DISPUTE_CLOSED'],
  },
  {
    method: 'GET',
    path: '/admin/disputes',
    access: ANSWERERS,
    tag: 'admin: disputes',
    summary: 'The dispute queue: open ones by deadline with time left and overdue flagged; answered and closed newest first.',
    query: adminDisputeQuery,
    response: adminDisputeListResponse,
  },
  {
    method: 'POST',
    path: '/admin/disputes/:id/answer',
    access: ANSWERERS,
    tag: 'admin: disputes',
    summary: 'Answers an open dispute; adjustPoints books an adjustment linked to it (a large one by service waits for approval). The member gets a notice.',
    params: id,
    body: disputeAnswerRequest,
    response: disputeAnswerResponse,
    errors: ['NOT_FOUND', 'DISPUTE_CLOSED', 'INSUFFICIENT_POINTS'],
    example: { request: { text: '已核实,补发积分', adjustPoints: 50 } },
  },
];
