import {
  FINANCE_WINDOW_DAYS,
  formatBp,
  formatYuan,
  liabilityFen,
  localDay,
  ratioBp,
  shareOf,
  type FinanceResponse,
  type PointsHealthResponse,
  type RulesConfig,
  type SimulationResponse,
} from '@jifen/shared';
import { RewardEntity, RulesVersionEntity, ValueChangeEntity } from '../db/entities';
import { AppError } from '../errors';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { ReportsService } from './reports.service';
import type { RulesVersionService } from './rules-version.service';
import { rewardPricingFigures } from './reward-report';
import { flowPoints, outstandingPoints, redemptionValueFen, salesFen } from './economy-figures';

const DAY_MS = 86_400_000;
type Anchor = RulesConfig['anchor'];

/** Whether a change of anchor lowers what a point is worth (cross-multiplied: integers only). */
function devalues(before: Anchor, after: Anchor): boolean {
  return after.fen * before.points < before.fen * after.points;
}

/**
 * Finance figures (issue 10.6) and the public quarterly health report (10.7). The report's flows come from
 * the same ReportsService code as the staff report, so both reconcile with the ledger the same way.
 */
export class FinanceService {
  static readonly REWARDS_MAX = 1000;

  constructor(
    private readonly tx: TxRunner,
    private readonly reports: ReportsService,
    private readonly versions: RulesVersionService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  async finance(): Promise<FinanceResponse> {
    await this.versions.sync();
    const m = this.tx.manager;
    const nowMs = this.clock().getTime();
    const startMs = nowMs - FINANCE_WINDOW_DAYS * DAY_MS;
    const anchor = this.rules.anchor;
    const points = await outstandingPoints(m);
    const liability = liabilityFen(points, anchor);
    const flows = await flowPoints(m, startMs, nowMs + 1);
    const sales = await salesFen(m, startMs, nowMs + 1);
    const breakageBp = ratioBp(flows.expired, flows.expired + flows.redeemed);
    const expected = breakageBp === null ? 0 : shareOf(liability, Math.max(0, breakageBp));
    const issuedFen = liabilityFen(flows.issued, anchor);
    const redeemedValue = await redemptionValueFen(m, startMs, nowMs + 1);
    const share = ratioBp(issuedFen, sales);
    const band = this.rules.anchorBandPct;
    const rewards = await rewardPricingFigures(m, this.rules, nowMs, FinanceService.REWARDS_MAX);
    return {
      asOf: new Date(nowMs).toISOString(),
      anchor,
      liability: { points, fen: liability },
      breakage: { windowDays: FINANCE_WINDOW_DAYS, expiredPoints: flows.expired, redeemedPoints: flows.redeemed, rate: { bp: breakageBp, pct: formatBp(breakageBp) }, expectedFen: expected },
      netLiabilityFen: liability - expected,
      redemptions: { points: flows.redeemed, pointsValueFen: liabilityFen(flows.redeemed, anchor), ...redeemedValue },
      ...rewards,
      anchorBandPct: band,
      issuance: { points: flows.issued, fen: issuedFen, salesFen: sales, shareOfSales: { bp: share, pct: formatBp(share) } },
    };
  }

  /** The same figures as CSV (one row per figure, UTF-8 with a BOM so spreadsheet programs read the Chinese). */
  async financeCsv(): Promise<string> {
    const f = await this.finance();
    const yuan = (fen: number) => formatYuan(fen);
    const rows: [string, string, string][] = [
      ['figure', 'value', 'unit'],
      ['截至 as of', f.asOf, ''],
      ['积分锚定 anchor', `${f.anchor.points} 积分 = ${yuan(f.anchor.fen)} 元`, ''],
      ['未兑换积分 outstanding points', String(f.liability.points), 'points'],
      ['积分负债 liability at anchor', yuan(f.liability.fen), 'CNY'],
      ['过期积分(近12个月) expired', String(f.breakage.expiredPoints), 'points'],
      ['兑换积分(近12个月) redeemed', String(f.breakage.redeemedPoints), 'points'],
      ['预计失效率 breakage rate', f.breakage.rate.pct, '%'],
      ['预计失效金额 expected breakage', yuan(f.breakage.expectedFen), 'CNY'],
      ['扣除失效后负债 net liability', yuan(f.netLiabilityFen), 'CNY'],
      ['兑换积分价值 redeemed points at anchor', yuan(f.redemptions.pointsValueFen), 'CNY'],
      ['兑换面值 redemptions at face value', yuan(f.redemptions.faceValueFen), 'CNY'],
      ['兑换成本 redemptions at cost', yuan(f.redemptions.costFen), 'CNY'],
      ['发放积分(近12个月) issued', String(f.issuance.points), 'points'],
      ['发放价值 issued value', yuan(f.issuance.fen), 'CNY'],
      ['销售额(近12个月) sales', yuan(f.issuance.salesFen), 'CNY'],
      ['发放占销售额 issuance share of sales', f.issuance.shareOfSales.pct, '%'],
      ...f.offAnchorRewards.map((r): [string, string, string] => [`偏离锚定价 off anchor: ${r.title} (#${r.id})`, `${r.pointsPrice} 分 / 锚定 ${r.anchorPoints} 分${r.reason ? ` / 理由 ${r.reason}` : ''}`, r.deviation.pct]),
      ...f.refreshDue.map((r): [string, string, string] => [`待迭代 due for refresh: ${r.title} (#${r.id})`, r.updatedAt, '']),
      ...f.retiredBelowCost.map((r): [string, string, string] => [`低于成本已下架 retired below cost: ${r.title} (#${r.id})`, r.retiredAt, '']),
    ];
    const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
  }

  /** The quarter's local dates; the current quarter when none is named. */
  private quarterRange(quarter: string | undefined): { quarter: string; from: string; to: string } {
    const q = quarter ?? (() => {
      const day = localDay(this.clock(), this.rules.timezone);
      return `${day.slice(0, 4)}Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
    })();
    const year = Number(q.slice(0, 4));
    const n = Number(q.slice(5));
    const startMonth = (n - 1) * 3 + 1;
    const lastDays = [31, 30, 30, 31]; // Mar 31, Jun 30, Sep 30, Dec 31
    const from = `${year}-${String(startMonth).padStart(2, '0')}-01`;
    const to = `${year}-${String(startMonth + 2).padStart(2, '0')}-${lastDays[n - 1]}`;
    if (from > localDay(this.clock(), this.rules.timezone)) throw new AppError('VALIDATION_FAILED', [{ path: 'quarter', message: 'that quarter has not started' }]);
    return { quarter: q, from, to };
  }

  async pointsHealth(quarter: string | undefined): Promise<PointsHealthResponse> {
    await this.versions.sync();
    const range = this.quarterRange(quarter);
    const staff = await this.reports.health({ from: range.from, to: range.to });
    const startMs = Date.parse(staff.range.startsAt);
    const endMs = Date.parse(staff.range.endsAt);
    const m = this.tx.manager;
    const changes = await m
      .getRepository(ValueChangeEntity)
      .createQueryBuilder('c')
      .where("c.status <> 'scheduled' AND c.effective_at >= :s AND c.effective_at < :e", { s: startMs, e: endMs })
      .orderBy('c.effective_at', 'ASC')
      .getMany();
    const devalued = changes.some((c) => {
      const p = JSON.parse(c.compensation) as { anchorBefore?: Anchor; anchorAfter?: Anchor };
      return p.anchorBefore && p.anchorAfter ? devalues(p.anchorBefore, p.anchorAfter) : false;
    });
    const engagements = await m
      .getRepository(RulesVersionEntity)
      .createQueryBuilder('v')
      .where("v.kind = 'GUARD_ENGAGE' AND v.created_at >= :s AND v.created_at < :e", { s: startMs, e: endMs })
      .getCount();
    const s = this.versions.state;
    const engaged = s.guardFactorPct < 100;
    const nowMs = this.clock().getTime();
    const engagedDuring = engagements > 0 || (engaged && nowMs >= startMs && nowMs < endMs);
    return {
      quarter: range.quarter,
      from: range.from,
      to: range.to,
      generatedAt: staff.generatedAt,
      issued: staff.period.issued.total,
      redeemed: staff.period.redeemed.net,
      expired: staff.period.expired,
      consumptionRate: staff.consumptionRate,
      outstandingPoints: staff.outstanding.points,
      anchor: this.rules.anchor,
      inflation: {
        engaged,
        factorPct: s.guardFactorPct,
        engagedDuringQuarter: engagedDuring,
        text: engaged ? `积分调控中:新消费积分按 ${s.guardFactorPct}% 发放,已有积分价值不变` : engagedDuring ? '本季度曾启动积分调控,现已解除' : '本季度未启动积分调控',
      },
      noDevaluation: !devalued,
      statement: devalued ? '本季度积分价值有调整,已按规则补偿' : '本季度无贬值',
      valueChanges: changes.map((c) => ({ title: c.title, effectiveAt: new Date(c.effectiveAt).toISOString(), changes: (JSON.parse(c.simulation) as SimulationResponse).changes })),
      reconciled: staff.allTime.reconciled,
    };
  }
}
