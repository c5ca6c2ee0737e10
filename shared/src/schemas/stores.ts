import { z } from 'zod';

/** A store as the back office lists it. */
export const storeSchema = z.object({ id: z.number().int(), code: z.string(), name: z.string() });
export type StoreDto = z.infer<typeof storeSchema>;
