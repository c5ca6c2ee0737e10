import { z } from 'zod';
import { idParamSchema } from '../../schemas/common';
import { memberProfileSchema } from '../../schemas/auth';
import { birthdayRequest, checkinResponse, ledgerPageResponse, ledgerQuerySchema, memberCodeResponse, meResponse } from '../../schemas/me';
import { notificationPageResponse, notificationsQuerySchema, notificationsReadRequest, notificationsReadResponse } from '../../schemas/notifications';
import { redeemRequest, redemptionListResponse, redemptionResponse, rewardListResponse } from '../../schemas/rewards';
import { activeCampaignsResponse } from '../../schemas/campaigns';
import {
  bindCardRequest,
  inviteCodeResponse,
  inviteRequest,
  inviteResponse,
  reviewTaskRequest,
  shareTaskRequest,
  surveyTaskRequest,
  taskResponse,
} from '../../schemas/tasks';
import { taskCenterResponse } from '../../schemas/task-center';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };

/** The member's own data and actions: every query is scoped by the token's member id. */
export const MEMBER_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/me', access: 'member', tag: 'member', summary: 'Balance, worth in yuan, tier progress, check-in streak, expiring and pending points.', response: meResponse },
  { method: 'GET', path: '/me/ledger', access: 'member', tag: 'member', summary: 'Ledger entries, newest first, with the reason and breakdown of each; kind=earn|spend|expire filters (all by default).', query: ledgerQuerySchema, response: ledgerPageResponse },
  { method: 'GET', path: '/me/notifications', access: 'member', tag: 'member', summary: 'Notices, newest first, with the unread count.', query: notificationsQuerySchema, response: notificationPageResponse },
  {
    method: 'POST',
    path: '/me/notifications/read',
    access: 'member',
    tag: 'member',
    summary: 'Marks the notices the member has seen read, by id (or all: true); answers the exact unread count.',
    body: notificationsReadRequest,
    response: notificationsReadResponse,
    example: { request: { ids: [41, 40, 38] } },
  },
  { method: 'GET', path: '/me/code', access: 'member', tag: 'member', summary: 'A short-lived, single-use member code for the till.', response: memberCodeResponse },
  { method: 'POST', path: '/me/checkins', access: 'member', tag: 'member', summary: 'Daily check-in (once per local day).', bodyType: 'none', status: 201, response: checkinResponse, errors: ['ALREADY_CHECKED_IN'] },
  { method: 'PUT', path: '/me/birthday', access: 'member', tag: 'member', summary: 'Sets the birthday once (birthday month earns double).', body: birthdayRequest, response: z.object({ member: memberProfileSchema }), errors: ['BIRTHDAY_ALREADY_SET'] },
  { method: 'GET', path: '/me/redemptions', access: 'member', tag: 'member', summary: "The member's redemptions with pickup codes.", response: redemptionListResponse },
  {
    method: 'POST',
    path: '/me/redemptions',
    access: 'member',
    tag: 'member',
    summary: 'Redeems a reward: FIFO debit, stock decrement and a pickup code in one transaction.',
    body: redeemRequest,
    status: 201,
    response: redemptionResponse,
    idempotencyKey: 'required',
    errors: ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_MISMATCH', 'NOT_FOUND', 'NOT_ON_SALE', 'INSUFFICIENT_POINTS', 'OUT_OF_STOCK', 'TIER_TOO_LOW', 'LIMIT_REACHED'],
    example: { request: { rewardId: 1, quantity: 1 } },
  },
  { method: 'POST', path: '/me/redemptions/:id/cancel', access: 'member', tag: 'member', summary: 'Cancels an unfulfilled redemption; points return to their lots.', params: id, bodyType: 'none', response: redemptionResponse, errors: ['NOT_FOUND', 'NOT_CANCELLABLE'] },
  { method: 'GET', path: '/rewards', access: 'member', tag: 'member', summary: "The shelf: rewards on sale, each with this member's eligibility.", response: rewardListResponse },
  { method: 'GET', path: '/campaigns/active', access: 'member', tag: 'member', summary: 'Campaigns that apply to this member now.', response: activeCampaignsResponse },
  { method: 'GET', path: '/me/tasks', access: 'member', tag: 'tasks', summary: 'The 任务中心: every earning channel with its state now (done, left, cap), reviewable orders, surveys open now, the invite code.', response: taskCenterResponse },
  { method: 'POST', path: '/me/tasks/review', access: 'member', tag: 'tasks', summary: 'Review reward for an own order that earned points (once per order), with a text of at least 15 characters (stored); pending until the order’s return window ends, reversed if it is refunded in full inside it.', body: reviewTaskRequest, status: 201, response: taskResponse, errors: ['NOT_FOUND', 'TASK_ALREADY_DONE', 'NOT_ELIGIBLE'], example: { request: { orderNo: 'A-20261202-0001', text: '咖啡很香,店员很热情,下次还来。' } } },
  { method: 'POST', path: '/me/tasks/bind-card', access: 'member', tag: 'tasks', summary: 'Bind-card reward: once per member and once per card across all members (a keyed hash of the number is kept).', body: bindCardRequest, status: 201, response: taskResponse, errors: ['TASK_ALREADY_DONE', 'NOT_ELIGIBLE'] },
  { method: 'POST', path: '/me/tasks/share', access: 'member', tag: 'tasks', summary: 'Share reward (a few a day).', body: shareTaskRequest, status: 201, response: taskResponse, errors: ['DAILY_LIMIT_REACHED'] },
  { method: 'POST', path: '/me/tasks/survey', access: 'member', tag: 'tasks', summary: 'Answers a survey marketing published and open now (one answer per question, stored); its points once per member.', body: surveyTaskRequest, status: 201, response: taskResponse, errors: ['NOT_FOUND', 'TASK_ALREADY_DONE'], example: { request: { surveyId: 1, answers: ['满意', '希望多一些新品'] } } },
  { method: 'GET', path: '/me/invite-code', access: 'member', tag: 'tasks', summary: "The member's invite code and how their invitees are doing.", response: inviteCodeResponse },
  { method: 'POST', path: '/me/invites', access: 'member', tag: 'tasks', summary: 'Records who invited this member by their random invite code (both rewards follow the first purchase, once its return window is over).', body: inviteRequest, status: 201, response: inviteResponse, errors: ['INVITE_REFUSED', 'NOT_FOUND'] },
];
