import { EntitySchema } from 'typeorm';
import { bool, int, intNull, ms, msNull, pk, str, text } from '../columns';

/**
 * One version of the rules in force (issue 10): the full rules snapshot plus the economic switches the jobs
 * set (inflation guard factor, bonuses stopped by the yearly cap). Append-only: the newest row is in force.
 */
export interface RulesVersion {
  id: number;
  kind: string; // BASE | CONFIG | VALUE_CHANGE | GUARD_ENGAGE | GUARD_RELEASE | CAP_REACHED | CAP_RELEASED
  reason: string;
  rules: string; // JSON of RulesConfig
  guardFactorPct: number; // 100 = no guard
  bonusesStopped: boolean;
  valueChangeId: number | null;
  createdAt: number;
}

export const RulesVersionEntity = new EntitySchema<RulesVersion>({
  name: 'RulesVersion',
  tableName: 'rules_version',
  columns: {
    id: pk,
    kind: str(24),
    reason: str(255),
    rules: text,
    guardFactorPct: { ...int, name: 'guard_factor_pct' },
    bonusesStopped: { ...bool, name: 'bonuses_stopped' },
    valueChangeId: { ...intNull, name: 'value_change_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});

/** A published value change: announced at createdAt, applied by the job at effectiveAt. */
export interface ValueChange {
  id: number;
  title: string;
  reason: string;
  effectiveAt: number;
  rules: string; // JSON partial of RulesConfig
  compensation: string; // JSON {mode}
  simulation: string; // JSON of the simulation at publishing
  status: 'scheduled' | 'applying' | 'applied';
  afterMemberId: number; // resume point of the compensation job
  membersCompensated: number;
  compensationPoints: number;
  rulesVersionId: number | null;
  createdBy: string;
  createdAt: number;
  appliedAt: number | null;
}

export const ValueChangeEntity = new EntitySchema<ValueChange>({
  name: 'ValueChange',
  tableName: 'value_change',
  columns: {
    id: pk,
    title: str(64),
    reason: str(500),
    effectiveAt: { ...ms, name: 'effective_at' },
    rules: text,
    compensation: text,
    simulation: text,
    status: str(16) as never,
    afterMemberId: { ...int, name: 'after_member_id' },
    membersCompensated: { ...int, name: 'members_compensated' },
    compensationPoints: { ...ms, name: 'compensation_points' },
    rulesVersionId: { ...intNull, name: 'rules_version_id' },
    createdBy: { ...str(64), name: 'created_by' },
    createdAt: { ...ms, name: 'created_at' },
    appliedAt: { ...msNull, name: 'applied_at' },
  },
});

/** One member's compensation for one change (unique: paid once however often the job runs). */
export interface Compensation {
  id: number;
  valueChangeId: number;
  memberId: number;
  balanceBefore: number;
  points: number;
  entryId: number | null;
  createdAt: number;
}

export const CompensationEntity = new EntitySchema<Compensation>({
  name: 'Compensation',
  tableName: 'compensation',
  columns: {
    id: pk,
    valueChangeId: { ...int, name: 'value_change_id' },
    memberId: { ...int, name: 'member_id' },
    balanceBefore: { ...int, name: 'balance_before' },
    points: int,
    entryId: { ...intNull, name: 'entry_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});

/** The yearly quantity plan (定量计划): shares in basis points (500 = 5 %). */
export interface PointsPlan {
  id: number;
  year: number;
  expectedSalesFen: number;
  issuanceCapBp: number;
  redemptionBudgetBp: number;
  rewardCostBudgetFen: number;
  updatedBy: string;
  updatedAt: number;
}

export const PointsPlanEntity = new EntitySchema<PointsPlan>({
  name: 'PointsPlan',
  tableName: 'points_plan',
  columns: {
    id: pk,
    year: int,
    expectedSalesFen: { ...ms, name: 'expected_sales_fen' },
    issuanceCapBp: { ...int, name: 'issuance_cap_bp' },
    redemptionBudgetBp: { ...int, name: 'redemption_budget_bp' },
    rewardCostBudgetFen: { ...ms, name: 'reward_cost_budget_fen' },
    updatedBy: { ...str(64), name: 'updated_by' },
    updatedAt: { ...ms, name: 'updated_at' },
  },
});
