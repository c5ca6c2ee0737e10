import type { RulesConfig, TierRule } from '../config';
import { tierFor, tierRank } from './tier';
import { daysBetween, localDay, monthsBefore } from './time';

/**
 * Tiers that keep their word (保级, issue 11.4). A member's tier is stored with its tier year: reached at
 * `achievedAt`, the year counts qualifying points earned after `yearFrom` up to `reviewAt` (the anniversary).
 * - Upgrades are immediate: when the rolling window's qualifying points (tierFor) reach a higher tier.
 * - On the anniversary the tier is kept when the year's points reach its threshold, else it drops (config
 *   tierRetention.mode: one level, or to the tier the year's points say). The base tier has no review.
 * - From warnDays before the anniversary the member is told "再得 N 分保级".
 * The points that lift a member into a tier count for the upgrade, not for keeping it (the year starts after).
 */
export interface StoredTier {
  code: string;
  achievedAt: number;
  yearFrom: number;
  /** The anniversary (epoch ms); null for the base tier (nothing to keep). */
  reviewAt: number | null;
}

export type Retention = RulesConfig['tierRetention'];

/** The tier rule of a stored code; an unknown code (a tier removed from config) reads as the base tier. */
export function tierRuleOf(code: string, tiers: RulesConfig['tiers']): TierRule {
  return tiers.find((t) => t.code === code) ?? tiers[0]!;
}

/** The anniversary of a tier year that starts at `from`: the same local time a tier window (12 months) later. */
export function tierReviewAt(from: number, rules: Pick<RulesConfig, 'tierWindowMonths' | 'timezone'>): number {
  return monthsBefore(new Date(from), -rules.tierWindowMonths, rules.timezone).getTime();
}

/** A fresh stored tier reached at `nowMs` (upgrade, or a first record): its year starts now. */
export function tierReached(code: string, nowMs: number, rules: RulesConfig): StoredTier {
  const base = tierRank(code, rules.tiers) <= 0;
  return { code, achievedAt: nowMs, yearFrom: nowMs, reviewAt: base ? null : tierReviewAt(nowMs, rules) };
}

/** The tier an upgrade lifts to when the rolling qualifying points reach above the stored tier; else null. */
export function upgradeFor(storedCode: string, rollingPoints: number, rules: RulesConfig): TierRule | null {
  const earned = tierFor(rollingPoints, rules.tiers).current;
  return tierRank(earned.code, rules.tiers) > Math.max(0, tierRank(storedCode, rules.tiers)) ? earned : null;
}

export interface ReviewOutcome {
  outcome: 'keep' | 'drop';
  from: TierRule;
  to: TierRule;
  yearPoints: number;
  /** The stored tier after the review: kept or dropped, its next year starting at the anniversary. */
  next: StoredTier;
}

/**
 * The anniversary decision: kept when the year's qualifying points reach the tier's threshold; else one level
 * down (`one_level`) or to what the year's points say (`by_points`, never above the tier held).
 */
export function reviewTier(stored: StoredTier, yearPoints: number, rules: RulesConfig): ReviewOutcome {
  const tiers = rules.tiers;
  const from = tierRuleOf(stored.code, tiers);
  const rank = Math.max(0, tierRank(from.code, tiers));
  const reviewAt = stored.reviewAt ?? stored.yearFrom;
  const q = Math.max(0, yearPoints);
  let to = from;
  if (q < from.minPoints) {
    if (rules.tierRetention.mode === 'one_level') to = tiers[Math.max(0, rank - 1)]!;
    else {
      const said = tierFor(q, tiers).current;
      to = tierRank(said.code, tiers) < rank ? said : from;
    }
  }
  const kept = to.code === from.code;
  const base = tierRank(to.code, tiers) <= 0;
  const next: StoredTier = {
    code: to.code,
    achievedAt: kept ? stored.achievedAt : reviewAt,
    yearFrom: reviewAt,
    reviewAt: base ? null : tierReviewAt(reviewAt, rules),
  };
  return { outcome: kept ? 'keep' : 'drop', from, to, yearPoints: q, next };
}

export interface RetentionFigure {
  /** Points still to earn before the anniversary to keep the tier (再得 N 分保级); 0 when already kept. */
  pointsNeeded: number;
  reviewAt: number;
  /** Local days until the anniversary (the expiry reminders' count). */
  daysLeft: number;
  /** Inside the warn window with points still needed: shown on home and told once. */
  atRisk: boolean;
}

/** Where the member stands for keeping the stored tier; null for the base tier (nothing to keep). */
export function retentionFigure(stored: StoredTier, yearPoints: number, now: Date, rules: RulesConfig): RetentionFigure | null {
  if (stored.reviewAt === null || tierRank(stored.code, rules.tiers) <= 0) return null;
  const tier = tierRuleOf(stored.code, rules.tiers);
  const pointsNeeded = Math.max(0, tier.minPoints - Math.max(0, yearPoints));
  const days = Math.max(0, daysBetween(localDay(now, rules.timezone), localDay(new Date(stored.reviewAt), rules.timezone)));
  const atRisk = pointsNeeded > 0 && stored.reviewAt > now.getTime() && days <= rules.tierRetention.warnDays;
  return { pointsNeeded, reviewAt: stored.reviewAt, daysLeft: days, atRisk };
}

/** The at-risk line on home and in the notice. */
export function retentionText(tierName: string, pointsNeeded: number): string {
  return `再得 ${pointsNeeded} 分保级${tierName}`;
}
