import { z } from 'zod';

/**
 * Finance figures (issue 10.6) and the public points-health report (10.7). Money in integer fen, rates in
 * integer basis points with a display string (the client never divides).
 */
const int = z.number().int();
const rate = z.object({ bp: z.number().int().nullable(), pct: z.string() });

export const FINANCE_WINDOW_DAYS = 365;

export const financeResponse = z.object({
  asOf: z.string(),
  anchor: z.object({ points: int, fen: int }),
  /** Outstanding points and what they are worth at the anchor (the liability, IFRS 15 contract liability before breakage). */
  liability: z.object({ points: int, fen: int }),
  /** Expected breakage from history: expired ÷ (expired + redeemed) over the trailing window. */
  breakage: z.object({ windowDays: int, expiredPoints: int, redeemedPoints: int, rate, expectedFen: int }),
  /** The liability net of expected breakage. */
  netLiabilityFen: int,
  /** Redemptions over the window: the points spent and their worth at the anchor, the rewards' face value and their cost (costFen). */
  redemptions: z.object({ points: int, pointsValueFen: int, faceValueFen: int, costFen: int }),
  /** Rewards not retired whose points price in force is outside the anchor band (anchorBandPct), furthest first, with marketing's reason. */
  offAnchorRewards: z.array(
    z.object({ id: int, title: z.string(), status: z.string(), pointsPrice: int, faceValueFen: int, anchorPoints: int, deviation: rate, reason: z.string() }),
  ),
  /** Rewards not retired and unchanged for six months (REWARD_REFRESH_DAYS): due for a refresh (赠品迭代). */
  refreshDue: z.array(z.object({ id: int, title: z.string(), status: z.string(), updatedAt: z.string() })),
  /** Rewards the system retired because their price in force fell below cost at the anchor (the notice to marketing), newest first. */
  retiredBelowCost: z.array(z.object({ id: int, title: z.string(), retiredAt: z.string() })),
  anchorBandPct: int,
  /** Issuance over the window as a share of sales net of refunds. */
  issuance: z.object({ points: int, fen: int, salesFen: int, shareOfSales: rate }),
});
export type FinanceResponse = z.infer<typeof financeResponse>;

/** 2026Q4 style. */
export const quarterSchema = z.string().regex(/^20[0-9]{2}Q[1-4]$/, 'a quarter like 2026Q4');
export const pointsHealthQuery = z.object({ quarter: quarterSchema.optional() });

export const pointsHealthResponse = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  issued: int,
  redeemed: int,
  expired: int,
  consumptionRate: rate,
  outstandingPoints: int,
  anchor: z.object({ points: int, fen: int }),
  inflation: z.object({ engaged: z.boolean(), factorPct: int, engagedDuringQuarter: z.boolean(), text: z.string() }),
  /** True when no value change lowered what points are worth during the quarter (then the page says 本季度无贬值). */
  noDevaluation: z.boolean(),
  statement: z.string(),
  valueChanges: z.array(z.object({ title: z.string(), effectiveAt: z.string(), changes: z.array(z.string()) })),
  /** The all-time flows reconcile with the balances (the same check as the staff report). */
  reconciled: z.boolean(),
});
export type PointsHealthResponse = z.infer<typeof pointsHealthResponse>;
