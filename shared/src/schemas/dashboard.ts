import { z } from 'zod';

/**
 * The admin's landing page (GET /admin/dashboard): a list of small cards, each computed on its own by the
 * server (one card that fails shows as unavailable; the others still show). `link` names a staff page by
 * its navigation key, with optional query, so the server never knows client URLs.
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
  link: z.object({ page: z.string(), query: z.record(z.string(), z.string()).optional() }).nullable(),
});
export type DashboardCardDto = z.infer<typeof dashboardCardSchema>;

export const dashboardResponse = z.object({ cards: z.array(dashboardCardSchema), at: z.string() });
