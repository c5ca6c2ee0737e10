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

/**
 * POST /me/notifications/read: marks the notices the member has seen, by id (at most a page); `all: true` is the
 * explicit 全部已读. Ids of other members' notices are ignored (never an error that would reveal them).
 */
export const notificationsReadRequest = z
  .object({
    ids: z.array(z.number().int().positive()).min(1).max(NOTIFICATION_PAGE_LIMIT_MAX).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: 'either ids or all: true' });
export type NotificationsReadRequest = z.infer<typeof notificationsReadRequest>;

/** `unread`: the member's exact unread count after marking; `marked`: how many were unread and are read now. */
export const notificationsReadResponse = z.object({ unread: z.number().int(), marked: z.number().int() });
export type NotificationsReadResponse = z.infer<typeof notificationsReadResponse>;

/** What wx.requestSubscribeMessage answered, per template id: each 'accept' allows one message of that template. */
export const subscriptionsReportRequest = z.object({
  results: z.record(z.string().min(1).max(64), z.enum(['accept', 'reject', 'ban', 'filter'])).refine((r) => Object.keys(r).length <= 10, 'at most 10 templates'),
});
export type SubscriptionsReportRequest = z.infer<typeof subscriptionsReportRequest>;

/** The templates a member can subscribe to and how many messages of each they still allow. */
export const subscriptionsResponse = z.object({
  templates: z.array(z.object({ key: z.string(), id: z.string(), title: z.string(), remaining: z.number().int() })),
});
export type SubscriptionsResponse = z.infer<typeof subscriptionsResponse>;
