import { z } from 'zod';

/** A staff page by its navigation key, with optional query, so the server never knows client URLs. */
const linkSchema = z.object({ page: z.string(), query: z.record(z.string(), z.string()).optional() });

/** One line of a card that lists things (a reward retired below cost, one due for a refresh), each with its page. */
export const dashboardItemSchema = z.object({ text: z.string(), note: z.string().optional(), link: linkSchema.nullable() });
export type DashboardItemDto = z.infer<typeof dashboardItemSchema>;

/**
 * The back office's landing page (GET /admin/dashboard; the admin, and marketing with its own cards): a list
 * of small cards, each computed on its own by the server (one card that fails shows as unavailable; the
 * others still show).
 */
export const dashboardCardSchema = z.object({
  key: z.string(),
  title: z.string(),
  /** null when the card could not be computed just now. */
  value: z.number().int().nullable(),
  unit: z.string().optional(),
  hint: z.string().optional(),
  /** 'attention' when something needs a look (e.g. failed logins today). */
  tone: z.enum(['normal', 'attention']),
  link: linkSchema.nullable(),
  /** The things counted, when the card lists them (at most a few; value says how many in all). */
  items: z.array(dashboardItemSchema).optional(),
});
export type DashboardCardDto = z.infer<typeof dashboardCardSchema>;

export const dashboardResponse = z.object({ cards: z.array(dashboardCardSchema), at: z.string() });
