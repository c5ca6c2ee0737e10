import { z } from 'zod';

/** The yearly quantity plan (issue 10.3) and the inflation guard (10.4): the API contract of the marketing pages. */
const fen = z.number().int().min(0).max(1_000_000_000_000);
const bp = z.number().int().min(1).max(10_000);

export const planYearParam = z.string().regex(/^20[0-9]{2}$/).transform(Number);
export const planQuery = z.object({ year: z.string().regex(/^20[0-9]{2}$/).transform(Number).optional() });

export const planRequest = z.object({
  expectedSalesFen: fen,
  issuanceCapBp: bp,
  redemptionBudgetBp: bp,
  rewardCostBudgetFen: fen,
});
export type PlanRequest = z.infer<typeof planRequest>;

const gauge = z.object({ actual: z.number().int(), planned: z.number().int().nullable(), usedBp: z.number().int().nullable() });

export const planResponse = z.object({
  plan: planRequest.extend({ year: z.number().int(), saved: z.boolean(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable() }),
  /** Figures in fen for the year so far against the plan (usedBp = actual / planned, 10000 = 100 %). */
  progress: z.object({
    sales: gauge,
    issuance: gauge.extend({ points: z.number().int() }),
    redemption: gauge.extend({ points: z.number().int() }),
    /** Reward cost of the redemptions (needs costFen on rewards; null until the catalogue has it). */
    rewardCost: gauge.extend({ actual: z.number().int().nullable() }),
    bonusesStopped: z.boolean(),
    note: z.string(),
  }),
});
export type PlanResponse = z.infer<typeof planResponse>;

export const rulesVersionDto = z.object({
  id: z.number().int(),
  kind: z.string(),
  reason: z.string(),
  guardFactorPct: z.number().int(),
  bonusesStopped: z.boolean(),
  valueChangeId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type RulesVersionDto = z.infer<typeof rulesVersionDto>;

export const guardResponse = z.object({
  enabled: z.boolean(),
  engaged: z.boolean(),
  factorPct: z.number().int(),
  configuredFactorPct: z.number().int(),
  since: z.string().nullable(),
  reason: z.string().nullable(),
  outstandingFen: z.number().int(),
  trailingSalesFen: z.number().int(),
  /** The lines in fen (null without sales history and no absolute figure configured). */
  engageAboveFen: z.number().int().nullable(),
  releaseBelowFen: z.number().int().nullable(),
  history: z.array(rulesVersionDto),
});
export type GuardResponse = z.infer<typeof guardResponse>;

export const rulesVersionListResponse = z.object({ items: z.array(rulesVersionDto), current: z.number().int() });
