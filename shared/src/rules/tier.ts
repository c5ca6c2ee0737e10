import type { RulesConfig, TierRule } from '../config';
import { monthsBefore } from './time';

export interface TierStatus {
  current: TierRule;
  next: TierRule | null;
  qualifyingPoints: number;
  /** Points still needed for the next tier; null at the top tier. */
  pointsToNext: number | null;
  /** Progress from the current tier's floor to the next tier's, 0..100 (integer). */
  progressPct: number;
}

/** Tier by qualifying points earned over the window (config tierWindowMonths, 12 by default). */
export function tierFor(qualifyingPoints: number, tiers: RulesConfig['tiers']): TierStatus {
  const q = Math.max(0, qualifyingPoints);
  let index = 0;
  for (let i = 0; i < tiers.length; i++) if (q >= tiers[i]!.minPoints) index = i;
  const current = tiers[index]!;
  const next = tiers[index + 1] ?? null;
  if (!next) return { current, next: null, qualifyingPoints: q, pointsToNext: null, progressPct: 100 };
  const span = next.minPoints - current.minPoints;
  const done = q - current.minPoints;
  return {
    current,
    next,
    qualifyingPoints: q,
    pointsToNext: next.minPoints - q,
    progressPct: Math.min(100, Math.floor((done * 100) / span)),
  };
}

/** Start of the qualification window: tiers are kept (retained) only while the last N months qualify. */
export function tierWindowStart(now: Date, rules: Pick<RulesConfig, 'tierWindowMonths' | 'timezone'>): Date {
  return monthsBefore(now, rules.tierWindowMonths, rules.timezone);
}

export function tierRank(code: string, tiers: RulesConfig['tiers']): number {
  return tiers.findIndex((t) => t.code === code);
}
