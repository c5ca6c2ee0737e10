import type { RulesConfig } from '../config';

/**
 * Points at the till (积分抵扣, issue 11.7): a member pays part of an order with points at the anchor
 * (100 points = 1 yuan by default). At most `till.pointsShareMaxPct` percent of the order; points are
 * earned on the cash part only; a refund gives the used points back in proportion to the money refunded.
 */

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The smallest number of points worth a whole number of fen (1 at the default anchor). */
export function pointsStep(anchor: RulesConfig['anchor']): number {
  return anchor.points / gcd(anchor.points, anchor.fen);
}

/** The most points that may pay for an order of amountFen: the share cap in fen, converted down to whole steps. */
export function maxPointsForOrder(amountFen: number, rules: Pick<RulesConfig, 'anchor' | 'till'>): number {
  const capFen = Math.floor((amountFen * rules.till.pointsShareMaxPct) / 100);
  const step = pointsStep(rules.anchor);
  const raw = Math.floor((capFen * rules.anchor.points) / rules.anchor.fen);
  return raw - (raw % step);
}

export type PointsPayment =
  | { ok: true; pointsUsed: number; pointsFen: number; cashFen: number }
  | { ok: false; reason: 'SHARE_EXCEEDED'; maxPoints: number }
  | { ok: false; reason: 'NOT_WHOLE_FEN'; step: number };

/** How an order of amountFen splits into points and cash when the member uses pointsToUse (0 = cash only). */
export function planPointsPayment(amountFen: number, pointsToUse: number, rules: Pick<RulesConfig, 'anchor' | 'till'>): PointsPayment {
  const step = pointsStep(rules.anchor);
  if (pointsToUse % step !== 0) return { ok: false, reason: 'NOT_WHOLE_FEN', step };
  const maxPoints = maxPointsForOrder(amountFen, rules);
  if (pointsToUse > maxPoints) return { ok: false, reason: 'SHARE_EXCEEDED', maxPoints };
  const pointsFen = (pointsToUse * rules.anchor.fen) / rules.anchor.points; // exact: a whole number of steps
  return { ok: true, pointsUsed: pointsToUse, pointsFen, cashFen: amountFen - pointsFen };
}

/**
 * Used points to give back for a refund, on cumulative totals like refundReversal (repeated partial refunds never
 * return more than was used; a full refund returns all): returned(after) = floor(used x refunded / amount).
 */
export function usedPointsReturn(input: { pointsUsed: number; orderAmountFen: number; refundedFenAfter: number; returnedBefore: number }): number {
  if (input.pointsUsed === 0) return 0;
  const target = Math.floor((input.pointsUsed * input.refundedFenAfter) / input.orderAmountFen);
  return Math.max(0, target - input.returnedBefore);
}
