import type { RulesConfig } from '../config';

/** Points to fen by the value anchor (100 points = 100 fen by default), floored: worth is never overstated. */
export function pointsToFen(points: number, anchor: RulesConfig['anchor']): number {
  return Math.floor((points * anchor.fen) / anchor.points);
}

/** Fen as a yuan string with two decimals, by integer arithmetic: 12345 -> "123.45", -5 -> "-0.05". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

/**
 * Applies an integer-percent multiplier's extra part to a base: bonus(100, 150) = 50. The one place a
 * multiplier turns points into points; floor so the member is never credited a fraction.
 */
export function bonusFor(base: number, multiplierPct: number): number {
  return Math.floor((base * (multiplierPct - 100)) / 100);
}
