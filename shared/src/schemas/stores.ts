import { z } from 'zod';
import { cleanText } from './clean-text';

/**
 * A store as the back office lists it. A closed store keeps its history (orders, refunds, pickups) but
 * takes no new purchases and gets no new clerks; it can be reopened.
 */
export const storeSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
});
export type StoreDto = z.infer<typeof storeSchema>;

export const STORE_CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
export const STORE_NAME_MAX = 50;

/** Upper-cased first: 1-32 of A-Z 0-9 _ - (the code on receipts and in the CLI, e.g. A or BJ-01). */
export const storeCodeSchema = z
  .string()
  .max(32)
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(STORE_CODE_RE, '1-32 of A-Z 0-9 _ - starting with a letter or digit'));
export const storeNameSchema = cleanText({ max: STORE_NAME_MAX });

export const storeCreateRequest = z.strictObject({ code: storeCodeSchema, name: storeNameSchema });
export type StoreCreateRequest = z.infer<typeof storeCreateRequest>;

/** Rename and/or close (true) / reopen (false); at least one. */
export const storePatchRequest = z
  .strictObject({ name: storeNameSchema.optional(), closed: z.boolean().optional() })
  .refine((p) => p.name !== undefined || p.closed !== undefined, 'nothing to change');
export type StorePatchRequest = z.infer<typeof storePatchRequest>;

export const storeListResponse = z.object({ stores: z.array(storeSchema) });
export const storeResponse = z.object({ store: storeSchema });
