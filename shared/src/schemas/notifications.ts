import { z } from 'zod';
import { pageQuerySchema } from './common';

/** Notices are read a page at a time on a phone; a smaller cap than the ledger's. */
export const NOTIFICATION_PAGE_LIMIT_MAX = 50;
export const NOTIFICATION_PAGE_LIMIT_DEFAULT = 20;

/** GET /me/notifications?cursor&limit: the shared page query, with limit at most 50. */
export const notificationsQuerySchema = pageQuerySchema.refine((q) => q.limit === undefined || q.limit <= NOTIFICATION_PAGE_LIMIT_MAX, {
  path: ['limit'],
  message: `at most ${NOTIFICATION_PAGE_LIMIT_MAX}`,
});

/** One notice to the member. `kind` is open-ended (PURCHASE, EXPIRY_REMINDER, ...): new kinds must not break old clients. */
export const notificationSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

/** Newest first; `unread` counts all of the member's unread notices, not just this page's. */
export const notificationPageResponse = z.object({
  notifications: z.array(notificationSchema),
  nextCursor: z.number().int().nullable(),
  unread: z.number().int(),
});
export type NotificationPageResponse = z.infer<typeof notificationPageResponse>;

export const notificationsReadResponse = z.object({ unread: z.literal(0) });
export type NotificationsReadResponse = z.infer<typeof notificationsReadResponse>;
