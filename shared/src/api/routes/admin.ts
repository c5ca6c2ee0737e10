import { z } from 'zod';
import { idParamSchema, pageQuerySchema } from '../../schemas/common';
import { memberProfileSchema } from '../../schemas/auth';
import { birthdayRequest } from '../../schemas/me';
import {
  campaignCreateRequest,
  campaignHistoryResponse,
  campaignListResponse,
  campaignPatchRequest,
  campaignSchema,
} from '../../schemas/campaigns';
import { storeSchema } from '../../schemas/stores';
import { healthReportQuery, healthReportResponse } from '../../schemas/reports';
import type { RouteSpec } from '../contract';

const id = { id: idParamSchema };
const MARKETING = ['marketing', 'admin'] as const;

/** Campaigns, the points-health report and member corrections (issue 4); the back office adds more tables. */
export const ADMIN_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/stores',
    access: ['marketing', 'service', 'admin'],
    tag: 'admin: stores',
    summary: 'Stores (campaign targeting, filters).',
    response: z.object({ stores: z.array(storeSchema) }),
  },
  { method: 'GET', path: '/admin/campaigns', access: MARKETING, tag: 'admin: campaigns', summary: 'Campaigns, newest first.', query: pageQuerySchema, response: campaignListResponse },
  {
    method: 'POST',
    path: '/admin/campaigns',
    access: MARKETING,
    tag: 'admin: campaigns',
    summary: 'Creates a timed multiplier campaign with a points budget.',
    body: campaignCreateRequest,
    status: 201,
    response: campaignSchema,
    idempotencyKey: 'optional',
    errors: ['IDEMPOTENCY_MISMATCH'],
    example: {
      request: {
        name: '周六双倍积分',
        multiplier: 2,
        startsAt: '2026-06-20T10:00',
        endsAt: '2026-06-20T22:00',
        tiers: ['gold'],
        storeIds: [1, 2],
        channels: ['purchase'],
        stacksWithTier: true,
        budgetPoints: 2000000,
      },
    },
  },
  { method: 'GET', path: '/admin/campaigns/:id', access: MARKETING, tag: 'admin: campaigns', summary: 'One campaign with its budget use.', params: id, response: campaignSchema, errors: ['NOT_FOUND'] },
  { method: 'PATCH', path: '/admin/campaigns/:id', access: MARKETING, tag: 'admin: campaigns', summary: 'Edits a campaign that has not ended.', params: id, body: campaignPatchRequest, response: campaignSchema, errors: ['NOT_FOUND', 'CAMPAIGN_ENDED'], example: { request: { endsAt: '2026-06-20T23:00', budgetPoints: 3000000 } } },
  { method: 'POST', path: '/admin/campaigns/:id/end', access: MARKETING, tag: 'admin: campaigns', summary: 'Ends a campaign now.', params: id, bodyType: 'none', response: campaignSchema, errors: ['NOT_FOUND', 'CAMPAIGN_ENDED'] },
  { method: 'GET', path: '/admin/campaigns/:id/history', access: MARKETING, tag: 'admin: campaigns', summary: "A campaign's change history.", params: id, response: campaignHistoryResponse, errors: ['NOT_FOUND'] },
  { method: 'GET', path: '/admin/reports/health', access: MARKETING, tag: 'admin: reports', summary: 'The points-health report for a date range.', query: healthReportQuery, response: healthReportResponse },
  {
    method: 'PUT',
    path: '/admin/members/:id/birthday',
    access: ['service', 'admin'],
    tag: 'admin: members',
    summary: "Corrects a member's birthday.",
    params: id,
    body: birthdayRequest,
    response: z.object({ member: memberProfileSchema }),
    errors: ['NOT_FOUND'],
  },
];
