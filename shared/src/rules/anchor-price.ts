import type { RulesConfig } from '../config';

/**
 * The anchor on the shelf (issue 10.1): a reward's points price at its face value (faceValueFen at the anchor,
 * rounded to the nearest point), and how far a price strays from it, in basis points (integers only).
 */
export function anchorPointsFor(faceValueFen: number, anchor: RulesConfig['anchor']): number {
  return Math.round((faceValueFen * anchor.points) / anchor.fen);
}

/** (price - anchor price) / anchor price in basis points, truncated; null when the reward has no face value. */
export function anchorDeviationBp(pointsPrice: number, faceValueFen: number, anchor: RulesConfig['anchor']): number | null {
  const at = anchorPointsFor(faceValueFen, anchor);
  if (at <= 0) return null;
  return Math.trunc(((pointsPrice - at) * 10000) / at);
}

/** Whether a price lies outside the band (±bandPct of the anchor price); a reward without a face value is outside. */
export function outsideAnchorBand(pointsPrice: number, faceValueFen: number, anchor: RulesConfig['anchor'], bandPct: number): boolean {
  const bp = anchorDeviationBp(pointsPrice, faceValueFen, anchor);
  return bp === null || Math.abs(bp) > bandPct * 100;
}
