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
    /**
     * Inflation guard (issue 10.4): when outstanding points in fen exceed engageAboveBp of trailing twelve-month
     * sales (or engageAboveFen when set), new purchases earn factorPct of the base; it releases only below the
     * lower releaseBelowBp / releaseBelowFen (hysteresis, so it does not flap at the line).
     */
    inflationGuard: z
      .object({
        enabled: z.boolean(),
        engageAboveBp: z.number().int().min(1).max(100_000),
        releaseBelowBp: z.number().int().min(0).max(100_000),
        engageAboveFen: z.number().int().min(1).nullable(),
        releaseBelowFen: z.number().int().min(0).nullable(),
        factorPct: z.number().int().min(1).max(100),
      })
      .default({ enabled: true, engageAboveBp: 500, releaseBelowBp: 400, engageAboveFen: null, releaseBelowFen: null, factorPct: 80 }),
    /** Defaults of a new yearly quantity plan (issue 10.3), in basis points: issuance cap 5 % of sales, redemption budget 20 % of the value issued. */
    plan: z
      .object({ issuanceCapBp: z.number().int().min(1).max(10_000), redemptionBudgetBp: z.number().int().min(1).max(10_000) })
      .default({ issuanceCapBp: 500, redemptionBudgetBp: 2000 }),
    /** A reward priced more than this many percent away from its face value at the anchor is listed in the finance report (issue 10.1). */
    anchorBandPct: z.number().int().min(0).max(100).default(20),
    /**
     * The till (issues 8.9 and 11.7): an order above largeAmountConfirmFen needs the clerk's explicit confirmation;
     * points pay at most pointsShareMaxPct percent of an order (at the anchor).
     */
    till: z
      .object({
        largeAmountConfirmFen: z.number().int().min(1).max(100_000_000),
        pointsShareMaxPct: z.number().int().min(0).max(100),
      })
      .default({ largeAmountConfirmFen: 500_000, pointsShareMaxPct: 50 }),
    /** The welcome gift: points credited once, when a member first accepts the agreement (0: none). */
    welcome: z.object({ giftPoints: points }).default({ giftPoints: 0 }),
    /** Disputes (积分申诉): staff answer within slaDays of filing. */
    disputes: z.object({ slaDays: z.number().int().min(1).max(60) }).default({ slaDays: 7 }),
    /**
     * Tiered validity beside the clear-down (issue 11.3): a member with a purchase in the last `activeMonths`
     * keeps points `activeYears`, any other member `inactiveYears` (yearly policy: until the end of that many
     * years after the year earned; rolling: that many times 365 days). `enabled: false` keeps the plain policy.
     */
    validity: z
      .object({
        enabled: z.boolean(),
        activeMonths: z.number().int().min(1).max(36),
        activeYears: z.number().int().min(1).max(10),
        inactiveYears: z.number().int().min(1).max(10),
      })
      .default({ enabled: false, activeMonths: 12, activeYears: 2, inactiveYears: 1 }),
    /**
     * Expired points that give back (issue 11.3): every `pointsPerCoupon` expired at once become `valueFen` of
     * a coupon valid `validDays`, usable on an order of at least `minSpendFen` per unit; `costFen` per unit is
     * what the brand books. The 7-day reminder carries a shelf discount of `offerPct` percent until the date.
     */
    expiryCoupon: z
      .object({
        enabled: z.boolean(),
        pointsPerCoupon: z.number().int().min(1).max(1_000_000),
        valueFen: z.number().int().min(1).max(1_000_000),
        minSpendFen: z.number().int().min(0).max(100_000_000),
        validDays: z.number().int().min(1).max(366),
        costFen: z.number().int().min(0).max(1_000_000),
        offerPct: z.number().int().min(0).max(90),
      })
      .default({ enabled: true, pointsPerCoupon: 500, valueFen: 500, minSpendFen: 3000, validDays: 30, costFen: 500, offerPct: 20 }),
    /**
     * WeChat subscribe messages (issue 11.5): which template carries which notice kinds, and how each notice
     * fills the template's fields (`title`, `body` or `time` of the notice). The ids are public (the client
     * passes them to wx.requestSubscribeMessage). A kind in no template stays in-app only.
     */
    subscribe: z
      .object({
        page: z.string().min(1).max(128),
        miniprogramState: z.enum(['developer', 'trial', 'formal']),
        attemptsMax: z.number().int().min(1).max(20),
        templates: z
          .array(
            z.object({
              key: z.string().regex(/^[a-z]+$/),
              id: z.string().min(1).max(64),
              title: z.string().min(1).max(20),
              kinds: z.array(z.string().regex(/^[A-Z_]+$/)).min(1),
              fields: z.record(z.string().regex(/^[a-z_]+[0-9]+$/), z.enum(['title', 'body', 'time'])),
            }),
          )
          .max(20),
      })
      .default({ page: 'pages/profile/index', miniprogramState: 'formal', attemptsMax: 5, templates: [] }),
    /**
     * Tiers that keep their word (保级, issue 11.4): on a tier's anniversary (a tier window after it was reached
     * or last reviewed) it is kept when the year's qualifying points reach its threshold, else it drops one
     * level (`one_level`) or to the tier those points say (`by_points`). From `warnDays` before, the member is
     * told "再得 N 分保级" (home and a notice). Upgrades are immediate.
     */
    tierRetention: z
      .object({ mode: z.enum(['one_level', 'by_points']), warnDays: z.number().int().min(1).max(180) })
      .default({ mode: 'one_level', warnDays: 30 }),
    /** The charity pool the brand chose: members may donate points that are about to expire (DONATE entries). */
    charity: z.object({ enabled: z.boolean(), name: z.string().min(1).max(60) }).default({ enabled: true, name: '公益积分池' }),
  })
  .superRefine((c, ctx) => {
    if (c.inflationGuard.releaseBelowBp >= c.inflationGuard.engageAboveBp) {
      ctx.addIssue({ code: 'custom', path: ['inflationGuard', 'releaseBelowBp'], message: 'must be below engageAboveBp (hysteresis)' });
    }
    const g = c.inflationGuard;
    if ((g.engageAboveFen === null) !== (g.releaseBelowFen === null) || (g.engageAboveFen !== null && g.releaseBelowFen! >= g.engageAboveFen)) {
      ctx.addIssue({ code: 'custom', path: ['inflationGuard', 'releaseBelowFen'], message: 'set both engageAboveFen and releaseBelowFen, release below engage' });
    }
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
