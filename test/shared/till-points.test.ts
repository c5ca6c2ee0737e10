import { maxPointsForOrder, planPointsPayment, pointsStep, usedPointsReturn } from '@jifen/shared';

const rules = { anchor: { points: 100, fen: 100 }, till: { largeAmountConfirmFen: 500_000, pointsShareMaxPct: 50 } };

describe('points at the till (积分抵扣)', () => {
  test.each([
    [12800, 6400],
    [1001, 500],
    [1, 0],
  ])('an order of %i fen takes at most %i points (50 %%, rounded down)', (amountFen, max) => {
    expect(maxPointsForOrder(amountFen, rules)).toBe(max);
  });

  test('the split: points at the anchor, the rest cash; over the share is refused with the max', () => {
    expect(planPointsPayment(12800, 2000, rules)).toEqual({ ok: true, pointsUsed: 2000, pointsFen: 2000, cashFen: 10800 });
    expect(planPointsPayment(12800, 0, rules)).toEqual({ ok: true, pointsUsed: 0, pointsFen: 0, cashFen: 12800 });
    expect(planPointsPayment(12800, 6401, rules)).toEqual({ ok: false, reason: 'SHARE_EXCEEDED', maxPoints: 6400 });
  });

  test('an anchor of 100 points = 50 fen: points go in steps of 2, the max is a whole step', () => {
    const r = { ...rules, anchor: { points: 100, fen: 50 } };
    expect(pointsStep(r.anchor)).toBe(2);
    expect(planPointsPayment(10000, 3, r)).toEqual({ ok: false, reason: 'NOT_WHOLE_FEN', step: 2 });
    expect(planPointsPayment(10000, 4, r)).toEqual({ ok: true, pointsUsed: 4, pointsFen: 2, cashFen: 9998 });
    expect(maxPointsForOrder(10001, r)).toBe(10000);
  });

  test('refunds return used points on cumulative totals: never more than used, all of it at the full refund', () => {
    let returned = 0;
    let refunded = 0;
    for (const fen of [3333, 3333, 3334]) {
      refunded += fen;
      returned += usedPointsReturn({ pointsUsed: 4999, orderAmountFen: 10000, refundedFenAfter: refunded, returnedBefore: returned });
      expect(returned).toBeLessThanOrEqual(4999);
    }
    expect(returned).toBe(4999);
    expect(usedPointsReturn({ pointsUsed: 0, orderAmountFen: 100, refundedFenAfter: 100, returnedBefore: 0 })).toBe(0);
  });
});
