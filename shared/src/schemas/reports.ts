import { z } from 'zod';

/**
 * Points-health report (GET /api/v1/admin/reports/health): the API contract for the marketing page.
 * All figures are integer points (or integer fen); rates are integer basis points (10000 = 100%) with a
 * display string made by integer arithmetic, so the client never divides.
 */
export const HEALTH_RANGE_DAYS_MAX = 400;
export const HEALTH_RANGE_DAYS_DEFAULT = 30;
export const HEALTH_TOP_REWARDS_MAX = 10;
export const HEALTH_CAMPAIGNS_MAX = 100;

/** The codes that issue points (their positive deltas count as issued). */
export const ISSUE_CODES = ['EARN_PURCHASE', 'EARN_CHECKIN', 'EARN_TASK', 'EARN_CAMPAIGN_BONUS', 'ADJUST', 'COMPENSATION'] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** True for a real calendar date 'YYYY-MM-DD' (2026-02-30 is not). */
function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export const reportDateSchema = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');

/** Query: local dates in the rules' time zone, both inclusive; defaults (last 30 days) are resolved by the server. */
export const healthReportQuery = z.object({
  from: reportDateSchema.optional(),
  to: reportDateSchema.optional(),
});
export type HealthReportQuery = z.infer<typeof healthReportQuery>;

/**
 * A ratio as integer basis points, truncated toward zero (BigInt: exact for any safe integers);
 * null when the denominator is 0 (a rate of nothing is not 0%).
 */
export function ratioBp(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Number((BigInt(numerator) * BigInt(10000)) / BigInt(denominator));
}

/** Basis points as a percent string with two decimals: 1595 -> "15.95%", -5 -> "-0.05%", null -> "—". */
export function formatBp(bp: number | null): string {
  if (bp === null) return '—';
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  const frac = abs % 100;
  return `${sign}${Math.floor(abs / 100)}.${frac < 10 ? '0' : ''}${frac}%`;
}

const points = z.number().int();
const rateSchema = z.object({ bp: z.number().int().nullable(), pct: z.string() });

export const issuedByCodeSchema = z.object({
  EARN_PURCHASE: points,
  EARN_CHECKIN: points,
  EARN_TASK: points,
  EARN_CAMPAIGN_BONUS: points,
  ADJUST: points,
  COMPENSATION: points,
});

/**
 * Flows over a period. Identity (checked by the server before answering):
 * issued.total - redeemed.net - reversedByRefunds - expired - adjustedOut = netChange.
 */
export const ledgerFlowsSchema = z.object({
  issued: z.object({ total: points, byCode: issuedByCodeSchema }),
  /** REDEEM (gross) minus REDEEM_CANCEL (points given back) = net. */
  redeemed: z.object({ gross: points, cancelled: points, net: points }),
  reversedByRefunds: points,
  expired: points,
  /** Negative adjustments and any other debit outside the codes above (normally 0). */
  adjustedOut: points,
  netChange: points,
});
export type LedgerFlows = z.infer<typeof ledgerFlowsSchema>;

export const healthReportResponse = z.object({
  range: z.object({
    from: z.string(), // local date, inclusive
    to: z.string(), // local date, inclusive
    timezone: z.string(),
    startsAt: z.string(), // ISO instant, inclusive
    endsAt: z.string(), // ISO instant, exclusive
    days: z.number().int(),
  }),
  generatedAt: z.string(),
  period: ledgerFlowsSchema,
  /** Redeemed (net) / issued over the period. */
  consumptionRate: rateSchema,
  /** The liability now (not limited to the range). */
  outstanding: z.object({
    points, // sum of member_account.balance (net of debt)
    worthFen: z.number().int(),
    worthYuan: z.string(),
    pendingPoints: points, // in lots still inside the purchase return window
    awaitingExpiryPoints: points, // past expiry, not yet cleared by the expiry job
    debtPoints: points,
    membersWithDebt: z.number().int(),
    members: z.number().int(),
  }),
  /** Campaigns running at any time in the range (newest first, at most HEALTH_CAMPAIGNS_MAX). */
  campaigns: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      endedAt: z.string().nullable(),
      budgetPoints: points,
      issuedPoints: points,
      usedBp: z.number().int().nullable(),
      usedPct: z.string(),
    }),
  ),
  /** By quantity redeemed in the range, cancelled redemptions excluded. */
  topRewards: z.array(z.object({ rewardId: z.number().int(), title: z.string(), quantity: z.number().int(), points })),
  /** One row per local month touched by the range (the chart's series). */
  byMonth: z.array(z.object({ month: z.string(), issued: points, redeemed: points, expired: points })),
  /** Over the whole ledger: outstanding must equal allTime.netChange (reconciled = true). */
  allTime: ledgerFlowsSchema.extend({ reconciled: z.boolean() }),
  /**
   * Expiry that gives back (issue 11.3), in the range: coupons issued (by issue time), used (by use time) and
   * lapsed (their validity ended in the range unused), with face value and the brand's cost of the used ones;
   * the charity pool (DONATE entries) in the range and over all time.
   */
  giveback: z.object({
    coupons: z.object({
      issued: z.number().int(),
      issuedValueFen: z.number().int(),
      used: z.number().int(),
      usedValueFen: z.number().int(),
      usedCostFen: z.number().int(),
      lapsed: z.number().int(),
      lapsedValueFen: z.number().int(),
      outstanding: z.number().int(),
    }),
    charity: z.object({ name: z.string(), donatedPoints: points, donors: z.number().int(), poolPoints: points }),
  }),
});
export type HealthReportResponse = z.infer<typeof healthReportResponse>;
