import type { RulesConfig } from '../config';
import type { Earning } from './earn';
import { pctLabel } from './earn';

/**
 * The yearly quantity plan's cap and the inflation guard (issue 10.3 and 10.4): pure decisions, the
 * caller passes the figures (fen) it read from the ledger.
 */
export type GuardConfig = RulesConfig['inflationGuard'];

/** share (basis points) of an amount, floored, exact for any safe integers. */
export function shareOf(amountFen: number, bp: number): number {
  return Number((BigInt(amountFen) * BigInt(bp)) / BigInt(10000));
}

/** The engage and release lines in fen: absolute when configured, else shares of trailing twelve-month sales (none without sales). */
export function guardLines(trailingSalesFen: number, cfg: GuardConfig): { engageAboveFen: number; releaseBelowFen: number } | null {
  if (cfg.engageAboveFen !== null && cfg.releaseBelowFen !== null) return { engageAboveFen: cfg.engageAboveFen, releaseBelowFen: cfg.releaseBelowFen };
  if (trailingSalesFen <= 0) return null;
  return { engageAboveFen: shareOf(trailingSalesFen, cfg.engageAboveBp), releaseBelowFen: shareOf(trailingSalesFen, cfg.releaseBelowBp) };
}

/**
 * With hysteresis: engages strictly above the upper line, releases strictly below the lower one, and in
 * between keeps whatever it was (so it never flaps on a line). A disabled guard releases.
 */
export function guardDecision(engaged: boolean, outstandingFen: number, trailingSalesFen: number, cfg: GuardConfig): 'ENGAGE' | 'RELEASE' | null {
  if (!cfg.enabled) return engaged ? 'RELEASE' : null;
  const lines = guardLines(trailingSalesFen, cfg);
  if (!lines) return engaged ? 'RELEASE' : null;
  if (!engaged && outstandingFen > lines.engageAboveFen) return 'ENGAGE';
  if (engaged && outstandingFen < lines.releaseBelowFen) return 'RELEASE';
  return null;
}

/** The breakdown label of a guard factor: 80 -> "积分调控 ×0.8". */
export function guardLabel(factorPct: number): string {
  return `积分调控 ×${pctLabel(factorPct)}`;
}

/** What the guard leaves of a purchase's base points (floored): the rest shows as the GUARD line. */
export function guardedBase(base: number, factorPct: number): number {
  return factorPct >= 100 ? base : Math.floor((base * factorPct) / 100);
}

/** The issuance cap in fen for a plan; null when the plan names no sales (no cap). */
export function issuanceCapFen(expectedSalesFen: number, issuanceCapBp: number): number | null {
  return expectedSalesFen > 0 ? shareOf(expectedSalesFen, issuanceCapBp) : null;
}

/** Whether issuance has reached the cap (campaign and task bonuses stop; base purchase points continue). */
export function capReached(issuedFen: number, capFen: number | null): boolean {
  return capFen !== null && issuedFen >= capFen;
}

export const CAP_STOPPED_LABEL = '年度积分发行已达上限,奖励暂停';

/** A task's earning when the cap stopped bonuses: nothing, with the reason as its line. */
export function capStoppedEarning(): Earning {
  return { total: 0, lines: [{ kind: 'PLAN_CAP', label: CAP_STOPPED_LABEL, points: 0 }], campaignId: null, campaignBonus: 0 };
}
