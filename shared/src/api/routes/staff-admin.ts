import { idParamSchema } from '../../schemas/common';
import {
  staffCreateRequest,
  staffListQuery,
  staffListResponse,
  staffPatchRequest,
  staffResponse,
  staffWithPasswordResponse,
} from '../../schemas/staff-admin';
import { storeCreateRequest, storePatchRequest, storeResponse } from '../../schemas/stores';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };
const ADMIN = ['admin'] as const;

/**
 * Staff accounts and stores (issue 9 item 6): admin only. Every write is audited with before and after,
 * and every change of an account's access ends its open sessions at their next request (issue 8 item 2).
 * Create and password reset are not idempotent on purpose: a stored replay would keep the password.
 */
export const STAFF_ADMIN_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/admin/staff', access: ADMIN, tag: 'admin: staff', summary: 'Staff accounts by username, with role, store and status.', query: staffListQuery, response: staffListResponse },
  {
    method: 'POST',
    path: '/admin/staff',
    access: ADMIN,
    tag: 'admin: staff',
    summary: 'Creates a staff account with a generated password, answered once (only its hash is stored). A clerk needs an open store; other roles none.',
    body: staffCreateRequest,
    status: 201,
    response: staffWithPasswordResponse,
    errors: ['USERNAME_TAKEN', 'STAFF_STORE_RULE', 'STORE_CLOSED_NO_CLERKS', 'NOT_FOUND'],
    example: { request: { username: 'clerk-c', displayName: '王小明', role: 'clerk', storeId: 1 } },
  },
  {
    method: 'PATCH',
    path: '/admin/staff/:id',
    access: ADMIN,
    tag: 'admin: staff',
    summary: "Changes role, store, display name, or disables / enables an account; a change of access ends the account's sessions. Nobody disables or demotes themself or the last enabled admin.",
    params: id,
    body: staffPatchRequest,
    response: staffResponse,
    errors: ['NOT_FOUND', 'STAFF_STORE_RULE', 'STORE_CLOSED_NO_CLERKS', 'SELF_LOCKOUT', 'LAST_ADMIN'],
    example: { request: { disabled: true } },
  },
  {
    method: 'POST',
    path: '/admin/staff/:id/password',
    access: ADMIN,
    tag: 'admin: staff',
    summary: "Resets an account's password to a generated one, answered once; its sessions end. Not for one's own account.",
    params: id,
    response: staffWithPasswordResponse,
    errors: ['NOT_FOUND', 'SELF_LOCKOUT'],
  },
  {
    method: 'POST',
    path: '/admin/stores',
    access: ADMIN,
    tag: 'admin: stores',
    summary: 'Creates a store (code, name).',
    body: storeCreateRequest,
    status: 201,
    response: storeResponse,
    errors: ['STORE_CODE_TAKEN'],
    example: { request: { code: 'C', name: '望京店' } },
  },
  {
    method: 'PATCH',
    path: '/admin/stores/:id',
    access: ADMIN,
    tag: 'admin: stores',
    summary: "Renames a store, or closes (closed: true) / reopens it. A closed store's clerks cannot post purchases (403 STORE_CLOSED); refunds and pickups still work.",
    params: id,
    body: storePatchRequest,
    response: storeResponse,
    errors: ['NOT_FOUND'],
  },
];
