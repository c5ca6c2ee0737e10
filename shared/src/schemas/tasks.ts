import { z } from 'zod';
import { breakdownLineSchema, idSchema } from './common';
import { cleanText } from './clean-text';
import { SURVEY_ANSWER_MAX, SURVEY_QUESTIONS_MAX } from './surveys';
import { orderNoSchema } from './till';
import { TASKS } from '../rules/tasks';

/** A review earns only with a text of at least this many characters (issue 8.5); it is stored with the review. */
export const REVIEW_TEXT_MIN = 15;
export const REVIEW_TEXT_MAX = 500;

/** POST /me/tasks/review: the member's own posted order; storeId only when the same orderNo exists at two stores. */
export const reviewTaskRequest = z.strictObject({
  orderNo: orderNoSchema,
  storeId: idSchema.optional(),
  text: cleanText({ min: REVIEW_TEXT_MIN, max: REVIEW_TEXT_MAX, multiline: true }),
});
export type ReviewTaskRequest = z.infer<typeof reviewTaskRequest>;

/** POST /me/tasks/bind-card: 8-19 digits (bank and member cards); only a keyed hash is stored (one reward per card). */
export const bindCardRequest = z.strictObject({ cardNo: z.string().regex(/^[0-9]{8,19}$/, '8-19 digits') });
export type BindCardRequest = z.infer<typeof bindCardRequest>;

/** POST /me/tasks/share: no fields (an empty body or {}). */
export const shareTaskRequest = z.strictObject({});

/** POST /me/tasks/survey: the id of a survey marketing published, and one answer per question (in order). */
export const surveyTaskRequest = z.strictObject({
  surveyId: idSchema,
  answers: z.array(cleanText({ max: SURVEY_ANSWER_MAX, multiline: true })).min(1).max(SURVEY_QUESTIONS_MAX),
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
export const inviteRequest = z.strictObject({
  inviteCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{6,16}$/, 'an invite code')
    .transform((s) => s.toUpperCase()),
});
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
  /** pending: first purchases still inside their return window (the inviter's reward waits for them). */
  invitees: z.object({ total: z.number().int(), rewarded: z.number().int(), pending: z.number().int() }),
  inviterPoints: z.number().int(),
  inviteePoints: z.number().int(),
});
export type InviteCodeResponse = z.infer<typeof inviteCodeResponse>;
