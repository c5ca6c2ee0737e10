import type { RulesConfig } from '../config';
import { addDays, daysBetween, localDay, localYear, startOfLocalDay } from './time';

/**
 * When a lot earned at `earnedAt` expires (exclusive instant: expired when now >= expiresAt).
 * yearly: the end of the year after the year earned (earned any day of 2026 -> gone at 2028-01-01 00:00 local).
 * rolling: earnedAt + N days.
 */
export function lotExpiresAt(earnedAt: Date, rules: Pick<RulesConfig, 'expiry' | 'timezone'>): Date {
  if (rules.expiry.policy === 'rolling') return addDays(earnedAt, rules.expiry.days);
  const year = localYear(earnedAt, rules.timezone);
  return startOfLocalDay(`${year + 2}-01-01`, rules.timezone);
}

/** The last local day on which the points can still be used (the day before the exclusive expiry). */
export function lastUsableDay(expiresAt: Date, tz: string): string {
  return localDay(new Date(expiresAt.getTime() - 1), tz);
}

/** Whole local days left until the last usable day (0 on that day itself). */
export function daysLeft(expiresAt: Date, now: Date, tz: string): number {
  return Math.max(0, daysBetween(localDay(now, tz), lastUsableDay(expiresAt, tz)));
}

/** Which reminder (90, 7 … days ahead) is due for a lot now, if any: the smallest threshold reached. */
export function reminderDue(expiresAt: Date, now: Date, rules: Pick<RulesConfig, 'expiry' | 'timezone'>): number | null {
  if (now.getTime() >= expiresAt.getTime()) return null;
  const left = daysLeft(expiresAt, now, rules.timezone);
  const reached = rules.expiry.reminderDays.filter((d) => left <= d);
  return reached.length ? Math.min(...reached) : null;
}
