import { z } from 'zod';
import { DISPUTE_STATUSES } from '../rules/dispute';
import { idSchema } from './common';
import { cleanText } from './clean-text';
import { memberUploadUrlSchema } from './uploads';
import { ADJUST_POINTS_MAX } from './adjustments';
import { adjustmentSchema } from './adjustments';

export const DISPUTE_TEXT_MAX = 500;
export const DISPUTE_IMAGES_MAX = 3;
/** A member's disputes waiting at once (more is a flood, not a question). */
export const DISPUTE_OPEN_MAX = 5;
export const DISPUTE_LIST_MAX = 50;

export const disputeStatusSchema = z.enum(DISPUTE_STATUSES);


/** POST /me/disputes: what the member questions, optionally naming the ledger entry. */
export const disputeCreateRequest = z.strictObject({
  entryId: idSchema.optional(),
  text: cleanText({ min: 5, max: DISPUTE_TEXT_MAX, multiline: true }),
  /** Up to DISPUTE_IMAGES_MAX images, each uploaded first (POST /me/uploads answers its URL). */
  images: z.array(memberUploadUrlSchema).max(DISPUTE_IMAGES_MAX).optional(),
});
export type DisputeCreateRequest = z.input<typeof disputeCreateRequest>;

const entrySummary = z.object({ id: z.number().int(), code: z.string(), delta: z.number().int(), reason: z.string(), createdAt: z.string() });

/** What the member sees of a dispute (staff names stay on the server). */
export const disputeSchema = z.object({
  id: z.number().int(),
  entry: entrySummary.nullable(),
  text: z.string(),
  images: z.array(z.string()),
  status: disputeStatusSchema,
  createdAt: z.string(),
  dueAt: z.string(),
  answer: z.object({ text: z.string(), adjustPoints: z.number().int().nullable(), answeredAt: z.string() }).nullable(),
  closedAt: z.string().nullable(),
});
export type DisputeDto = z.infer<typeof disputeSchema>;

export const disputeResponse = z.object({ dispute: disputeSchema });
export const disputeListResponse = z.object({ disputes: z.array(disputeSchema) });
export type DisputeListResponse = z.infer<typeof disputeListResponse>;

/** The staff queue's row: the member, who answered, and the SLA clock. */
export const adminDisputeSchema = disputeSchema.extend({
  member: z.object({ id: z.number().int(), nickname: z.string() }),
  answeredBy: z.string().nullable(),
  msLeft: z.number().int(),
  overdue: z.boolean(),
  answeredInTime: z.boolean().nullable(),
  adjustment: adjustmentSchema.pick({ id: true, points: true, status: true }).nullable(),
});
export type AdminDisputeDto = z.infer<typeof adminDisputeSchema>;

export const adminDisputeQuery = z.object({
  status: disputeStatusSchema.optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
});

/** GET /admin/disputes: open ones by deadline (soonest first, overdue on top); others newest first. */
export const adminDisputeListResponse = z.object({
  disputes: z.array(adminDisputeSchema),
  counts: z.object({ open: z.number().int(), overdue: z.number().int() }),
  slaDays: z.number().int(),
});
export type AdminDisputeListResponse = z.infer<typeof adminDisputeListResponse>;

/** POST /admin/disputes/:id/answer: the answer, and optionally points put right (an adjustment linked to the dispute). */
export const disputeAnswerRequest = z.strictObject({
  text: cleanText({ min: 2, max: DISPUTE_TEXT_MAX, multiline: true }),
  adjustPoints: z
    .number()
    .int()
    .min(-ADJUST_POINTS_MAX)
    .max(ADJUST_POINTS_MAX)
    .refine((n) => n !== 0, 'must not be 0')
    .optional(),
});
export type DisputeAnswerRequest = z.input<typeof disputeAnswerRequest>;

export const disputeAnswerResponse = z.object({ dispute: adminDisputeSchema });
