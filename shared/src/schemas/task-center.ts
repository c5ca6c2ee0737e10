import { z } from 'zod';
import { memberSurveySchema } from './surveys';

/** The 任务中心 channels, in display order (issue 11 item 6). */
export const TASK_CENTER_CHANNELS = ['checkin', 'review', 'bind_card', 'survey', 'share', 'invite'] as const;
export type TaskCenterChannel = (typeof TASK_CENTER_CHANNELS)[number];

/** How a channel's limit counts: per local day, once ever, per order, per survey, per friend. */
export const taskPeriodSchema = z.enum(['day', 'once', 'order', 'survey', 'friend']);

/**
 * One channel's state now. `done` what counts toward the limit in its period (today for a daily one); `left`
 * how many more can earn (null: no limit); `cap` the limit in that period (null: none). `points` each.
 */
export const taskChannelSchema = z.object({
  channel: z.enum(TASK_CENTER_CHANNELS),
  title: z.string(),
  points: z.number().int(),
  period: taskPeriodSchema,
  done: z.number().int(),
  left: z.number().int().nullable(),
  cap: z.number().int().nullable(),
});
export type TaskChannelDto = z.infer<typeof taskChannelSchema>;

/** GET /me/tasks: every channel with its state, the month's non-purchase cap, and what each channel needs. */
export const taskCenterResponse = z.object({
  channels: z.array(taskChannelSchema),
  /** Non-purchase points this local month against the cap (a task past it records 0 points). */
  monthly: z.object({ used: z.number().int(), cap: z.number().int() }),
  /** The member's own orders that earned points and can still be reviewed, newest first. */
  reviewable: z.array(z.object({ orderNo: z.string(), storeId: z.number().int(), amountFen: z.number().int(), createdAt: z.string() })),
  /** Surveys marketing published that are open now (answer with POST /me/tasks/survey). */
  surveys: z.array(memberSurveySchema),
  invite: z.object({ code: z.string(), invitees: z.object({ total: z.number().int(), rewarded: z.number().int(), pending: z.number().int() }), inviterPoints: z.number().int(), inviteePoints: z.number().int(), invitedBy: z.string().nullable() }),
});
export type TaskCenterResponse = z.infer<typeof taskCenterResponse>;
