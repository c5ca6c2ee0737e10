import { z } from 'zod';
import { PAGE_LIMIT_MAX } from './common';
import { STAFF_ROLES } from '../api/roles';
import { cleanText } from './clean-text';

/** Manual adjustments with a second pair of eyes (issue 9 item 4) and bulk imports (item 5). */
export const ADJUST_POINTS_MAX = 1_000_000;
export const REASON_MAX = 100;

// Shown to the member in the ledger and to staff: control and bidi-override characters are removed (issue 8.7).
export const adjustmentReason = cleanText({ min: 2, max: REASON_MAX });

/** POST /admin/members/:id/adjustments: positive credits a new lot, negative takes points FIFO. */
export const adjustmentRequest = z.strictObject({
  points: z
    .number()
    .int()
    .min(-ADJUST_POINTS_MAX)
    .max(ADJUST_POINTS_MAX)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: adjustmentReason,
  /** Admin only: a debit beyond the spendable points books the rest as debt instead of being refused. */
  allowDebt: z.boolean().optional(),
});
export type AdjustmentRequest = z.input<typeof adjustmentRequest>;

export const adjustmentStatusSchema = z.enum(['pending', 'applied', 'rejected']);
export type AdjustmentStatus = z.infer<typeof adjustmentStatusSchema>;

const who = z.object({ id: z.number().int(), username: z.string(), role: z.enum(STAFF_ROLES).nullable() });

export const adjustmentSchema = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  memberNickname: z.string(),
  points: z.number().int(),
  reason: z.string(),
  allowDebt: z.boolean(),
  status: adjustmentStatusSchema,
  requestedBy: who,
  decidedBy: who.nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The ADJUST ledger entry once applied. */
  entryId: z.number().int().nullable(),
  /** What the adjustment answers, e.g. {type: 'dispute', id: '12'}. */
  link: z.object({ type: z.string(), id: z.string() }).nullable(),
  createdAt: z.string(),
});
export type AdjustmentDto = z.infer<typeof adjustmentSchema>;

/** 201 when applied (balance after), 202 when it waits for an admin (balance null). */
export const adjustmentResponse = z.object({ adjustment: adjustmentSchema, balance: z.number().int().nullable() });
export type AdjustmentResponse = z.infer<typeof adjustmentResponse>;

export const adjustmentListQuery = z.object({
  status: adjustmentStatusSchema.optional(),
  cursor: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX)).optional(),
});
export const adjustmentListResponse = z.object({ adjustments: z.array(adjustmentSchema), nextCursor: z.number().int().nullable() });
export type AdjustmentListResponse = z.infer<typeof adjustmentListResponse>;

export const adjustmentDecisionRequest = z.strictObject({ note: cleanText({ min: 0, max: REASON_MAX }).optional() });

// ---- Bulk import ------------------------------------------------------------------------------------------

export const IMPORT_ROWS_MAX = 10_000;
export const IMPORT_BYTES_MAX = 1_048_576;
export const IMPORT_FILE_NAME_MAX = 100;
export const IMPORT_INVALID_SHOWN_MAX = IMPORT_ROWS_MAX;

export const importQuery = z.object({ name: cleanText({ max: IMPORT_FILE_NAME_MAX }).optional() });

export const importStatusSchema = z.enum(['previewed', 'committing', 'committed']);
export const importInvalidSchema = z.object({ line: z.number().int(), reason: z.string() });

/** The preview: nothing is written to the ledger until commit. */
export const importPreviewResponse = z.object({
  id: z.number().int(),
  valid: z.number().int(),
  invalid: z.array(importInvalidSchema),
  totalPoints: z.number().int(),
});
export type ImportPreviewResponse = z.infer<typeof importPreviewResponse>;

export const importSchema = z.object({
  id: z.number().int(),
  fileName: z.string().nullable(),
  status: importStatusSchema,
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.array(importInvalidSchema),
  totalPoints: z.number().int(),
  /** Progress of a commit: rows applied and rows that could not be applied (e.g. not enough points for a debit). */
  applied: z.number().int(),
  failed: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
});
export type ImportDto = z.infer<typeof importSchema>;

export const importCommitResponse = z.object({ id: z.number().int(), applied: z.number().int(), failed: z.number().int(), status: importStatusSchema });
export type ImportCommitResponse = z.infer<typeof importCommitResponse>;
