import type { RulesConfig } from '../config';
import { daysBetween, localDay } from './time';

export interface CheckinPlan {
  day: string;
  streak: number;
  basePoints: number;
  bonusPoints: number;
  points: number;
}

export type CheckinResult = { ok: true; plan: CheckinPlan } | { ok: false; reason: 'ALREADY_CHECKED_IN' };

/**
 * Plans today's check-in from the last one. The streak continues only from yesterday (local day);
 * a missed day starts over at 1. Every `bonusEveryDays`-th consecutive day adds the bonus.
 */
export function planCheckin(
  last: { day: string; streak: number } | null,
  now: Date,
  rules: Pick<RulesConfig, 'checkin' | 'timezone'>,
): CheckinResult {
  const day = localDay(now, rules.timezone);
  // The same day, or a last check-in "later" than today (the clock went back): never pay twice.
  if (last && daysBetween(last.day, day) <= 0) return { ok: false, reason: 'ALREADY_CHECKED_IN' };
  const continues = last !== null && daysBetween(last.day, day) === 1;
  const streak = continues ? last.streak + 1 : 1;
  const basePoints = rules.checkin.points;
  const bonusPoints = streak % rules.checkin.bonusEveryDays === 0 ? rules.checkin.bonusPoints : 0;
  return { ok: true, plan: { day, streak, basePoints, bonusPoints, points: basePoints + bonusPoints } };
}

/** The streak as the member sees it today: kept if the last check-in was today or yesterday, else 0. */
export function currentStreak(
  last: { day: string; streak: number } | null,
  now: Date,
  tz: string,
): { streak: number; checkedInToday: boolean } {
  if (!last) return { streak: 0, checkedInToday: false };
  const gap = daysBetween(last.day, localDay(now, tz));
  if (gap === 0) return { streak: last.streak, checkedInToday: true };
  if (gap === 1) return { streak: last.streak, checkedInToday: false };
  return { streak: 0, checkedInToday: false };
}

export interface StreakDay {
  /** Position in the cycle, 1..bonusEveryDays. */
  position: number;
  points: number;
  bonus: boolean;
  done: boolean;
  today: boolean;
}

/** The strip of a bonus cycle for the UI: what each day pays, the bonus day visible before it is earned. */
export function streakStrip(streak: number, checkedInToday: boolean, rules: Pick<RulesConfig, 'checkin'>): StreakDay[] {
  const n = rules.checkin.bonusEveryDays;
  // Days done in the current cycle; a completed cycle shows full only on the day it completed.
  const doneInCycle = streak === 0 ? 0 : ((streak - 1) % n) + 1;
  const shownDone = checkedInToday ? doneInCycle : doneInCycle === n ? 0 : doneInCycle;
  const todayPos = checkedInToday ? shownDone : shownDone + 1;
  return Array.from({ length: n }, (_, i) => {
    const position = i + 1;
    const bonus = position === n;
    return {
      position,
      points: rules.checkin.points + (bonus ? rules.checkin.bonusPoints : 0),
      bonus,
      done: position <= shownDone,
      today: position === todayPos,
    };
  });
}
