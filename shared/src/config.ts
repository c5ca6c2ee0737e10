import { z } from 'zod';

/**
 * Rule configuration (config/rules.json). Validated at boot by the server; served to the client at
 * GET /api/v1/rules so both sides compute with the same numbers. Multipliers are integer percents
 * (150 = 1.5x) so no float ever enters a rule.
 */
const pct = z.number().int().min(100).max(1000);
const points = z.number().int().min(0).max(1_000_000);

export const tierRuleSchema = z.object({
  code: z.string().regex(/^[a-z]+$/),
  name: z.string().min(1),
  minPoints: points,
  multiplierPct: pct,
});

export const rulesConfigSchema = z
  .object({
    timezone: z.string().min(1),
    anchor: z.object({ points: z.number().int().min(1), fen: z.number().int().min(1) }),
    purchase: z.object({
      pointsPerYuan: z.number().int().min(0).max(100),
      pendingDays: z.number().int().min(0).max(90),
      maxPointsPerOrder: z.number().int().min(1),
      birthdayMultiplierPct: pct,
    }),
    tiers: z.array(tierRuleSchema).min(1),
    tierWindowMonths: z.number().int().min(1).max(36),
    checkin: z.object({
      points: z.number().int().min(0),
      bonusEveryDays: z.number().int().min(2).max(31),
      bonusPoints: z.number().int().min(0),
    }),
    tasks: z.object({
      review: points,
      inviteInviter: points,
      inviteInvitee: points,
      bindCard: points,
      share: points,
      shareDailyMax: z.number().int().min(0).max(100),
      survey: points,
    }),
    nonPurchaseMonthlyCap: points,
    expiry: z.discriminatedUnion('policy', [
      z.object({ policy: z.literal('yearly'), reminderDays: z.array(z.number().int().min(1).max(366)) }),
      z.object({
        policy: z.literal('rolling'),
        days: z.number().int().min(1).max(3660),
        reminderDays: z.array(z.number().int().min(1).max(366)),
      }),
    ]),
    valueChangeNoticeDays: z.number().int().min(30),
    /** Manual adjustments: a `service` adjustment above this many points (either sign) waits for an admin's approval. */
    adjustments: z.object({ approvalAbovePoints: z.number().int().min(0).max(100_000_000) }).default({ approvalAbovePoints: 1000 }),
    /** The welcome gift: points credited once, when a member first accepts the agreement (0: none). */
    welcome: z.object({ giftPoints: points }).default({ giftPoints: 0 }),
    /**
     * Surveys marketing publishes (the 任务中心 lists them; POST /me/tasks/survey pays rules.tasks.survey once per
     * id). The id is the survey's slug (lower case).
     */
    surveys: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
          title: z.string().min(1).max(60),
          questions: z.array(z.string().min(1).max(100)).min(1).max(10),
        }),
      )
      .max(20)
      .default([]),
    /** Disputes (积分申诉): staff answer within slaDays of filing. */
    disputes: z.object({ slaDays: z.number().int().min(1).max(60) }).default({ slaDays: 7 }),
  })
  .superRefine((c, ctx) => {
    if (c.tiers[0]!.minPoints !== 0) {
      ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'minPoints'], message: 'the first tier must start at 0' });
    }
    for (let i = 1; i < c.tiers.length; i++) {
      if (c.tiers[i]!.minPoints <= c.tiers[i - 1]!.minPoints) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'minPoints'], message: 'tiers must be in ascending minPoints' });
      }
    }
  });

export type RulesConfig = z.infer<typeof rulesConfigSchema>;
export type TierRule = z.infer<typeof tierRuleSchema>;

/** Formats zod issues as "key.path: message" lines, so a bad config names the key and what is allowed. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}
