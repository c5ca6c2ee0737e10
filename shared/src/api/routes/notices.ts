import { subscriptionsReportRequest, subscriptionsResponse } from '../../schemas/notifications';
import type { RouteSpec } from '../contract';

/** Notices that arrive (issue 11.5): the member's WeChat subscribe-message consents. */
export const NOTICE_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/me/subscriptions',
    access: 'member',
    tag: 'member',
    summary: 'The subscribe-message templates (ids for wx.requestSubscribeMessage) and how many messages of each the member still allows.',
    response: subscriptionsResponse,
  },
  {
    method: 'POST',
    path: '/me/subscriptions',
    access: 'member',
    tag: 'member',
    summary: 'Reports what wx.requestSubscribeMessage answered: each accepted template allows one more message. Unknown template ids are ignored.',
    body: subscriptionsReportRequest,
    response: subscriptionsResponse,
    idempotencyKey: 'required',
    errors: ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH'],
    example: { request: { results: { 'jifen-points-expiry': 'accept', 'jifen-points-change': 'reject' } } },
  },
];
