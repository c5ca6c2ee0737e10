import { z } from 'zod';

/** Limits on everything: ids, strings, page sizes. */
export const ID_MAX = 2_147_483_647;
export const POINTS_MAX = 100_000_000;
export const AMOUNT_FEN_MAX = 100_000_000; // one million yuan per order
export const PAGE_LIMIT_MAX = 100;

export const idSchema = z.number().int().min(1).max(ID_MAX);
/** Ids in URL path segments arrive as strings. */
export const idParamSchema = z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(idSchema);
export const idempotencyKeySchema = z.string().min(8).max(100).regex(/^[A-Za-z0-9_:.-]+$/);
export const isoDateTime = z.string();

export const pageQuerySchema = z.object({
  cursor: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX)).optional(),
});

export const breakdownLineSchema = z.object({
  kind: z.enum(['BASE', 'GUARD', 'TIER', 'BIRTHDAY', 'CAMPAIGN', 'PLAN_CAP', 'CAP', 'CHECKIN_BONUS', 'TASK']),
  label: z.string(),
  points: z.number().int(),
});
export type BreakdownLineDto = z.infer<typeof breakdownLineSchema>;
