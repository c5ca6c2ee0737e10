import { agreementAcceptRequest, agreementAcceptResponse, agreementDocumentsResponse, agreementPublishRequest, agreementPublishResponse, agreementResponse } from '../../schemas/agreement';
import type { RouteSpec } from '../contract';

/** The agreement at registration (issue 11 item 1): the member reads and accepts; admin publishes versions. */
export const AGREEMENT_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/me/agreement', access: 'member', tag: 'member', summary: 'The current points agreement and privacy notice, what the member accepted, whether acceptance is needed.', response: agreementResponse },
  {
    method: 'POST',
    path: '/me/agreement',
    access: 'member',
    tag: 'member',
    summary: 'Accepts the current versions (recorded with time and address); the first acceptance credits the welcome gift once.',
    body: agreementAcceptRequest,
    response: agreementAcceptResponse,
    errors: ['AGREEMENT_OUTDATED'],
    example: { request: { version: 1, privacyVersion: 1 } },
  },
  { method: 'GET', path: '/admin/agreements', access: ['admin'], tag: 'admin: agreement', summary: 'Every version of the points agreement and privacy notice, with acceptance counts.', response: agreementDocumentsResponse },
  {
    method: 'POST',
    path: '/admin/agreements',
    access: ['admin'],
    tag: 'admin: agreement',
    summary: 'Publishes a new version of a document (a new row); members are asked to accept it before earning or spending again.',
    body: agreementPublishRequest,
    status: 201,
    response: agreementPublishResponse,
    errors: ['AGREEMENT_VERSION_TAKEN'],
    example: { request: { kind: 'terms', title: '积分服务协议', body: '第一条 积分规则……(至少 10 个字)' } },
  },
];

/**
 * Member routes that earn or spend points: refused with 409 AGREEMENT_REQUIRED until the member has accepted
 * the current documents. A new member route that earns or spends belongs here (a shared test checks that
 * every member write is either here or in AGREEMENT_FREE_WRITES).
 */
export const AGREEMENT_GATED_ROUTES: readonly string[] = [
  'POST /me/checkins',
  'POST /me/redemptions',
  'GET /me/code',
  'POST /me/tasks/review',
  'POST /me/tasks/bind-card',
  'POST /me/tasks/share',
  'POST /me/tasks/survey',
  'POST /me/invites',
  'POST /me/donations',
];

/** Member writes that neither earn nor spend (accepting itself, profile, giving points back, disputes and their images). */
export const AGREEMENT_FREE_WRITES: readonly string[] = [
  'POST /me/agreement',
  'POST /me/notifications/read',
  'PUT /me/birthday',
  'POST /me/phone',
  'POST /me/redemptions/:id/cancel',
  'POST /me/disputes',
  'POST /me/disputes/:id/close',
  'POST /me/uploads',
  'POST /me/subscriptions',
];
