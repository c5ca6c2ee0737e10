import type { EntityManager } from 'typeorm';
import {
  HEALTH_CAMPAIGNS_MAX,
  HEALTH_RANGE_DAYS_DEFAULT,
  HEALTH_RANGE_DAYS_MAX,
  HEALTH_TOP_REWARDS_MAX,
  ISSUE_CODES,
  daysBetween,
  formatBp,
  formatYuan,
  localDay,
  pointsToFen,
  ratioBp,
  startOfLocalDay,
  type HealthReportQuery,
  type HealthReportResponse,
  type IssueCode,
  type LedgerFlows,
  type RulesConfig,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { givebackFigures } from './giveback-report';
import type { RollupService } from './rollups.service';
import { accountFigures } from './account-rollups';

type Row = Record<string, unknown>;
const num = (v: unknown): number => {
  const n = Number(v ?? 0);
  invariant(Number.isSafeInteger(n), `aggregate ${String(v)} is a safe integer`);
  return n;
};

/** 'YYYY-MM-DD' plus n calendar days (UTC arithmetic on the date alone: no zone involved). */
function plusDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The first day of each local month touched by [from, to], as 'YYYY-MM'. At most 15 for 400 days. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) break;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
    invariant(out.length <= 16, 'month series bounded');
  }
  return out;
}

/** The DONATE entries' sum in these daily rows (negative: donations are debits). */
const donatedOf = (rows: { code: string; points: number }[]) => rows.reduce((s, r) => (r.code === 'DONATE' ? s + r.points : s), 0);

export interface ResolvedRange {
  from: string;
  to: string;
  days: number;
  startMs: number;
  endMs: number; // exclusive
}

/** Signed sums per (code, sign) folded into the report's flows; the identity holds by construction. */
function foldFlows(rows: { code: string; positive: boolean; sum: number }[]): LedgerFlows {
  const byCode = Object.fromEntries(ISSUE_CODES.map((c) => [c, 0])) as Record<IssueCode, number>;
  let redeemGross = 0;
  let redeemCancelled = 0;
  let reversed = 0;
  let expired = 0;
  let adjustedOut = 0;
  let net = 0;
  for (const r of rows) {
    net += r.sum;
    if ((ISSUE_CODES as readonly string[]).includes(r.code)) {
      if (r.positive) byCode[r.code as IssueCode] += r.sum;
      else adjustedOut -= r.sum;
    } else if (r.code === 'REDEEM') redeemGross -= r.sum;
    else if (r.code === 'REDEEM_CANCEL') redeemCancelled += r.sum;
    else if (r.code === 'REFUND_REVERSAL') reversed -= r.sum;
    else if (r.code === 'EXPIRE') expired -= r.sum;
    else adjustedOut -= r.sum; // a code this report does not know: kept visible, never dropped
  }
  const issuedTotal = ISSUE_CODES.reduce((s, c) => s + byCode[c], 0);
  const flows: LedgerFlows = {
    issued: { total: issuedTotal, byCode },
    redeemed: { gross: redeemGross, cancelled: redeemCancelled, net: redeemGross - redeemCancelled },
    reversedByRefunds: reversed,
    expired,
    adjustedOut,
    netChange: net,
  };
  // First assertion place: the flows account for every point that moved (the second is npm run verify).
  invariant(
    flows.issued.total - flows.redeemed.net - flows.reversedByRefunds - flows.expired - flows.adjustedOut === flows.netChange,
    `report flows balance (${JSON.stringify(flows)})`,
  );
  return flows;
}

/**
 * The points-health report (issue 4 item 9). Ledger flows come from the daily rollups plus the tail after
 * their watermark (rollups.service.ts, issue 14.4); the rest are SQL aggregates that an index keeps small
 * (pending and overdue lots, members in debt, redemptions in the range): never a scan of the ledger.
 * All reads run in one transaction so the figures are one consistent snapshot and reconcile exactly even
 * while purchases are posted: REPEATABLE READ on MySQL (one InnoDB read view), the serialized queue on SQLite.
 */
export class ReportsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    private readonly rollups: RollupService,
  ) {}

  /**
   * Defaults: `to` is today (local), `from` is 29 days before `to` (30 days, both ends included).
   * Limits: from <= to and at most 400 days; VALIDATION_FAILED otherwise.
   */
  resolveRange(q: HealthReportQuery): ResolvedRange {
    const tz = this.rules.timezone;
    const to = q.to ?? localDay(this.clock(), tz);
    const from = q.from ?? plusDays(to, -(HEALTH_RANGE_DAYS_DEFAULT - 1));
    const days = daysBetween(from, to) + 1;
    if (days < 1) throw new AppError('VALIDATION_FAILED', [{ path: 'from', message: 'from must not be after to' }]);
    if (days > HEALTH_RANGE_DAYS_MAX) throw new AppError('VALIDATION_FAILED', [{ path: 'to', message: `range is at most ${HEALTH_RANGE_DAYS_MAX} days` }]);
    return { from, to, days, startMs: startOfLocalDay(from, tz).getTime(), endMs: startOfLocalDay(plusDays(to, 1), tz).getTime() };
  }

  async health(q: HealthReportQuery): Promise<HealthReportResponse> {
    const range = this.resolveRange(q);
    const now = this.clock();
    await this.rollups.catchUp(5); // bounded: whatever is left is read as the tail
    return this.snapshot((m) => this.build(m, range, now.getTime()));
  }

  private snapshot<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.snapshot(fn);
  }

  private async build(m: EntityManager, range: ResolvedRange, nowMs: number): Promise<HealthReportResponse> {
    const tz = this.rules.timezone;
    const q = (sql: string, params: unknown[] = []) => m.query(sql, params) as Promise<Row[]>;

    // Ledger flows in the range by local month, and all time: rollups + tail, summed here (a few hundred rows).
    const months = monthsOf(range.from, range.to);
    const inRange = await this.rollups.daily(m, { from: range.from, to: range.to });
    const parsed = inRange.map((r) => ({ bucket: months.indexOf(r.day.slice(0, 7)), code: r.code, positive: r.positive, sum: r.points }));
    const period = foldFlows(parsed);
    const byMonth = months.map((month, i) => {
      const f = foldFlows(parsed.filter((r) => r.bucket === i));
      return { month, issued: f.issued.total, redeemed: f.redeemed.net, expired: f.expired };
    });
    const allRows = await this.rollups.daily(m, null);
    const allTime = foldFlows(allRows.map((r) => ({ code: r.code, positive: r.positive, sum: r.points })));

    // Members and debt: the account rollups plus the live figures after their watermarks (account-rollups.ts).
    const acct = await accountFigures(m, await this.rollups.watermark(m));
    const [pending] = await q('SELECT COALESCE(SUM(remaining), 0) AS points FROM points_lot WHERE activates_at > ? AND expires_at > ? AND remaining > 0', [nowMs, nowMs]);
    const [overdue] = await q('SELECT COALESCE(SUM(remaining), 0) AS points FROM points_lot WHERE expires_at <= ? AND remaining > 0', [nowMs]);
    const lots = { pending: pending?.points, overdue: overdue?.points };
    // The points outstanding are the ledger's net (balance = sum of entries for every member: verify checks it
    // member by member, together with the rollups against the ledger); no scan of a million accounts here.
    const outstandingPoints = allTime.netChange;
    const worthFen = pointsToFen(outstandingPoints, this.rules.anchor);

    const campaigns = await q(
      `SELECT id, name, starts_at, ends_at, ended_at, budget_points, issued_points FROM campaign
        WHERE starts_at < ? AND ends_at > ? AND (ended_at IS NULL OR ended_at > ?)
        ORDER BY starts_at DESC, id DESC LIMIT ${HEALTH_CAMPAIGNS_MAX}`,
      [range.endMs, range.startMs, range.startMs],
    );

    const top = await q(
      `SELECT r.reward_id AS reward_id, MAX(w.title) AS title, SUM(r.quantity) AS quantity, SUM(r.points) AS points
         FROM redemption r LEFT JOIN reward w ON w.id = r.reward_id
        WHERE r.created_at >= ? AND r.created_at < ? AND r.status <> 'CANCELLED'
        GROUP BY r.reward_id ORDER BY SUM(r.quantity) DESC, r.reward_id ASC LIMIT ${HEALTH_TOP_REWARDS_MAX}`,
      [range.startMs, range.endMs],
    );

    const rate = ratioBp(period.redeemed.net, period.issued.total);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      range: { from: range.from, to: range.to, timezone: tz, startsAt: iso(range.startMs), endsAt: iso(range.endMs), days: range.days },
      generatedAt: iso(nowMs),
      period,
      consumptionRate: { bp: rate, pct: formatBp(rate) },
      outstanding: {
        points: outstandingPoints,
        worthFen,
        worthYuan: formatYuan(worthFen),
        pendingPoints: num(lots.pending),
        awaitingExpiryPoints: num(lots.overdue),
        debtPoints: acct.debt,
        membersWithDebt: acct.indebted,
        members: acct.members,
      },
      campaigns: campaigns.map((c) => {
        const budget = num(c.budget_points);
        const issued = num(c.issued_points);
        const used = ratioBp(issued, budget);
        return {
          id: num(c.id),
          name: String(c.name),
          startsAt: iso(num(c.starts_at)),
          endsAt: iso(num(c.ends_at)),
          endedAt: c.ended_at === null || c.ended_at === undefined ? null : iso(num(c.ended_at)),
          budgetPoints: budget,
          issuedPoints: issued,
          usedBp: used,
          usedPct: formatBp(used),
        };
      }),
      topRewards: top.map((t) => ({ rewardId: num(t.reward_id), title: String(t.title ?? ''), quantity: num(t.quantity), points: num(t.points) })),
      byMonth,
      allTime: { ...allTime, reconciled: allTime.netChange === outstandingPoints },
      giveback: await givebackFigures(m, range.startMs, range.endMs, nowMs, this.rules, { donated: -donatedOf(inRange), pool: -donatedOf(allRows) }),
    };
  }
}
