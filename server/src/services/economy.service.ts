import type { EntityManager } from 'typeorm';
import {
  capReached,
  guardDecision,
  guardLines,
  formatYuan,
  issuanceCapFen,
  liabilityFen,
  localYear,
  ratioBp,
  shareOf,
  startOfLocalDay,
  type GuardResponse,
  type PlanRequest,
  type PlanResponse,
  type RulesConfig,
  type RulesVersionDto,
} from '@jifen/shared';
import { PointsPlanEntity, type RulesVersion } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import type { RulesVersionService } from './rules-version.service';
import { flowPoints, outstandingPoints, salesFen } from './economy-figures';

const YEAR_MS = 365 * 86_400_000;
const HISTORY_MAX = 50;

export function toVersionDto(v: Omit<RulesVersion, 'rules'>): RulesVersionDto {
  return { id: v.id, kind: v.kind, reason: v.reason, guardFactorPct: v.guardFactorPct, bonusesStopped: v.bonusesStopped, valueChangeId: v.valueChangeId, createdAt: new Date(v.createdAt).toISOString() };
}

/**
 * The yearly quantity plan with its issuance cap (issue 10.3) and the inflation guard (10.4). Both switch
 * by new rules versions, so every entry says under which state it was computed; the job evaluates them.
 */
export class EconomyService {
  constructor(
    private readonly tx: TxRunner,
    private readonly versions: RulesVersionService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  private yearRange(year: number) {
    const tz = this.rules.timezone;
    return { startMs: startOfLocalDay(`${year}-01-01`, tz).getTime(), endMs: startOfLocalDay(`${year + 1}-01-01`, tz).getTime() };
  }

  currentYear(): number {
    return localYear(this.clock(), this.rules.timezone);
  }

  private async planRow(m: EntityManager, year: number) {
    return m.getRepository(PointsPlanEntity).findOne({ where: { year } });
  }

  async plan(year: number): Promise<PlanResponse> {
    await this.versions.sync();
    const m = this.tx.manager;
    const row = await this.planRow(m, year);
    const plan = {
      year,
      expectedSalesFen: row?.expectedSalesFen ?? 0,
      issuanceCapBp: row?.issuanceCapBp ?? this.rules.plan.issuanceCapBp,
      redemptionBudgetBp: row?.redemptionBudgetBp ?? this.rules.plan.redemptionBudgetBp,
      rewardCostBudgetFen: row?.rewardCostBudgetFen ?? 0,
      saved: row !== null,
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
    };
    const { startMs, endMs } = this.yearRange(year);
    const sales = await salesFen(m, startMs, endMs);
    const flows = await flowPoints(m, startMs, endMs);
    const anchor = this.rules.anchor;
    const issuedFen = liabilityFen(flows.issued, anchor);
    const capFen = issuanceCapFen(plan.expectedSalesFen, plan.issuanceCapBp);
    const redeemedFen = liabilityFen(flows.redeemed, anchor);
    const redemptionBudgetFen = shareOf(issuedFen, plan.redemptionBudgetBp);
    const stopped = this.versions.state.bonusesStopped && year === this.currentYear();
    const gauge = (actual: number, planned: number | null) => ({ actual, planned, usedBp: planned ? ratioBp(actual, planned) : null });
    return {
      plan,
      progress: {
        sales: gauge(sales, plan.expectedSalesFen || null),
        issuance: { ...gauge(issuedFen, capFen), points: flows.issued },
        redemption: { ...gauge(redeemedFen, redemptionBudgetFen || null), points: flows.redeemed },
        rewardCost: { actual: null, planned: plan.rewardCostBudgetFen || null, usedBp: null },
        bonusesStopped: stopped,
        note: stopped
          ? `本年度积分发行已达上限 ¥${formatYuan(capFen ?? 0)}:活动加赠与任务奖励已暂停,消费基础积分照常发放。`
          : capFen === null
            ? '尚未设定年度预计销售额:发行上限不生效。'
            : `发行上限 ¥${formatYuan(capFen)}(预计销售额的 ${plan.issuanceCapBp / 100}%),达到后活动加赠与任务奖励暂停,消费基础积分照常发放。`,
      },
    };
  }

  /** Saves a year's plan (audited), then re-evaluates the cap at once. */
  async savePlan(year: number, input: PlanRequest, actor: Actor): Promise<PlanResponse> {
    await this.tx.run(async (m) => {
      const before = await this.planRow(m, year);
      const row = { ...input, year, updatedBy: actor.username, updatedAt: this.clock().getTime() };
      if (before) await m.getRepository(PointsPlanEntity).update({ id: before.id }, row);
      else await m.getRepository(PointsPlanEntity).insert(row);
      await this.audit.record(m, actor, { action: 'points_plan.save', targetType: 'points_plan', targetId: year, before, after: row });
    });
    await this.evaluateCap();
    return this.plan(year);
  }

  /** Stops (CAP_REACHED) or resumes (CAP_RELEASED: a new year or a larger plan) campaign and task bonuses. */
  async evaluateCap(): Promise<'reached' | 'released' | 'unchanged'> {
    return this.tx.run(async (m) => {
      await this.versions.sync(m);
      const year = this.currentYear();
      const row = await this.planRow(m, year);
      const capFen = row ? issuanceCapFen(row.expectedSalesFen, row.issuanceCapBp) : null;
      const { startMs, endMs } = this.yearRange(year);
      const issuedFen = liabilityFen((await flowPoints(m, startMs, endMs)).issued, this.rules.anchor);
      const reached = capReached(issuedFen, capFen);
      if (reached === this.versions.state.bonusesStopped) return 'unchanged';
      await this.versions.newVersion(m, {
        kind: reached ? 'CAP_REACHED' : 'CAP_RELEASED',
        reason: reached ? `${year} 年积分发行 ¥${formatYuan(issuedFen)} 已达上限 ¥${formatYuan(capFen ?? 0)}` : `${year} 年积分发行低于上限`,
        bonusesStopped: reached,
      });
      return reached ? 'reached' : 'released';
    });
  }

  private async guardFigures(m: EntityManager) {
    const nowMs = this.clock().getTime();
    const outstandingFen = liabilityFen(await outstandingPoints(m), this.rules.anchor);
    const trailingSalesFen = await salesFen(m, nowMs - YEAR_MS, nowMs + 1);
    return { outstandingFen, trailingSalesFen };
  }

  /** Engages or releases the guard (hysteresis in the shared rule); each is a rules version, and members are told. */
  async evaluateGuard(): Promise<'engaged' | 'released' | 'unchanged'> {
    return this.tx.run(async (m) => {
      await this.versions.sync(m);
      const cfg = this.rules.inflationGuard;
      const f = await this.guardFigures(m);
      const engaged = this.versions.state.guardFactorPct < 100;
      const decision = guardDecision(engaged, f.outstandingFen, f.trailingSalesFen, cfg);
      if (decision === null) return 'unchanged';
      const lines = guardLines(f.trailingSalesFen, cfg);
      const engage = decision === 'ENGAGE';
      const reason = engage
        ? `积分余额价值 ¥${formatYuan(f.outstandingFen)} 超过调控线 ¥${formatYuan(lines?.engageAboveFen ?? 0)}`
        : `积分余额价值 ¥${formatYuan(f.outstandingFen)} 回落到解除线 ¥${formatYuan(lines?.releaseBelowFen ?? 0)} 以下`;
      await this.versions.newVersion(m, { kind: engage ? 'GUARD_ENGAGE' : 'GUARD_RELEASE', reason, guardFactorPct: engage ? cfg.factorPct : 100 });
      const body = engage
        ? `为保持积分价值稳定,自即日起新消费获得的积分暂按 ${cfg.factorPct}% 发放(积分调控)。您已获得的积分价值不变,100 积分仍值 ¥${formatYuan(liabilityFen(100, this.rules.anchor))}。`
        : '积分调控已解除:新消费积分恢复按原规则发放。';
      await m.query(`INSERT INTO notification (member_id, kind, title, body, dedupe_key, created_at, read_at) SELECT id, 'INFLATION_GUARD', ?, ?, NULL, ?, NULL FROM member`, [
        engage ? '积分调控启动' : '积分调控解除',
        body.slice(0, 500),
        this.clock().getTime(),
      ]);
      return engage ? 'engaged' : 'released';
    });
  }

  async guard(): Promise<GuardResponse> {
    await this.versions.sync();
    const cfg = this.rules.inflationGuard;
    const f = await this.guardFigures(this.tx.manager);
    const lines = guardLines(f.trailingSalesFen, cfg);
    const history = await this.versions.history(HISTORY_MAX, ['GUARD_ENGAGE', 'GUARD_RELEASE']);
    const s = this.versions.state;
    const engaged = s.guardFactorPct < 100;
    const last = history[0];
    return {
      enabled: cfg.enabled,
      engaged,
      factorPct: s.guardFactorPct,
      configuredFactorPct: cfg.factorPct,
      since: last ? new Date(last.createdAt).toISOString() : null,
      reason: last?.reason ?? null,
      ...f,
      engageAboveFen: lines?.engageAboveFen ?? null,
      releaseBelowFen: lines?.releaseBelowFen ?? null,
      history: history.map(toVersionDto),
    };
  }

  async versionList(): Promise<{ items: RulesVersionDto[]; current: number }> {
    await this.versions.sync();
    return { items: (await this.versions.history(HISTORY_MAX)).map(toVersionDto), current: this.versions.state.versionId };
  }
}
