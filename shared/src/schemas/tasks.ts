import { z } from 'zod';
import { breakdownLineSchema, idSchema } from './common';
import { orderNoSchema } from './till';
import { TASKS } from '../rules/tasks';

/** POST /me/tasks/review: the member's own posted order; storeId only when the same orderNo exists at two stores. */
export const reviewTaskRequest = z.strictObject({ orderNo: orderNoSchema, storeId: idSchema.optional() });
export type ReviewTaskRequest = z.infer<typeof reviewTaskRequest>;

/** POST /me/tasks/bind-card: 8-19 digits (bank and member cards); the number itself is not stored. */
export const bindCardRequest = z.strictObject({ cardNo: z.string().regex(/^[0-9]{8,19}$/, '8-19 digits') });
export type BindCardRequest = z.infer<typeof bindCardRequest>;

/** POST /me/tasks/share: no fields (an empty body or {}). */
export const shareTaskRequest = z.strictObject({});

/** POST /me/tasks/survey: a short slug, case-insensitive (stored lower case, so "Q3" and "q3" are one survey). */
export const surveyTaskRequest = z.strictObject({
  surveyId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, _ and -, at most 32')
    .transform((s) => s.toLowerCase()),
});
export type SurveyTaskRequest = z.input<typeof surveyTaskRequest>;

/** Every task endpoint answers with this (201): points granted after the monthly cap, with its breakdown. */
export const taskResponse = z.object({
  task: z.enum(TASKS),
  points: z.number().int(),
  breakdown: z.array(breakdownLineSchema),
  balance: z.number().int(),
});
export type TaskResponse = z.infer<typeof taskResponse>;

/** POST /me/invites: the current member (the invitee) records who invited them. */
export const inviteRequest = z.strictObject({ inviteCode: z.string().trim().regex(/^[0-9A-Za-z]{1,6}$/, 'an invite code') });
export type InviteRequest = z.infer<typeof inviteRequest>;

/** Both rewards are paid only after the invitee's first purchase. */
export const inviteResponse = z.object({
  inviter: z.object({ nickname: z.string() }),
  status: z.enum(['PENDING_FIRST_PURCHASE', 'REWARDED']),
  inviterPoints: z.number().int(),
  inviteePoints: z.number().int(),
});
export type InviteResponse = z.infer<typeof inviteResponse>;

/** GET /me/invite-code: what the member shares, who invited them, and how their invitees are doing. */
export const inviteCodeResponse = z.object({
  inviteCode: z.string(),
  invitedBy: z.object({ nickname: z.string() }).nullable(),
  invitees: z.object({ total: z.number().int(), rewarded: z.number().int() }),
  inviterPoints: z.number().int(),
  inviteePoints: z.number().int(),
});
export type InviteCodeResponse = z.infer<typeof inviteCodeResponse>;
