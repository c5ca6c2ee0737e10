/**
 * Points to reverse for a refund, in proportion to money refunded, computed on the cumulative totals so
 * repeated partial refunds never reverse more than was awarded: reversed(after) = floor(awarded x refunded / amount).
 */
export function refundReversal(input: {
  awardedPoints: number;
  orderAmountFen: number;
  refundedFenBefore: number;
  reversedPointsBefore: number;
  refundFen: number;
}): { ok: true; points: number } | { ok: false; refundableFen: number } {
  const refundableFen = input.orderAmountFen - input.refundedFenBefore;
  if (input.refundFen <= 0 || input.refundFen > refundableFen) return { ok: false, refundableFen };
  const refundedAfter = input.refundedFenBefore + input.refundFen;
  const target = Math.floor((input.awardedPoints * refundedAfter) / input.orderAmountFen);
  return { ok: true, points: Math.max(0, target - input.reversedPointsBefore) };
}
