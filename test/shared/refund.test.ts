import { refundReversal } from '../../shared/src/rules/refund';

type Input = Parameters<typeof refundReversal>[0];

describe('refundReversal (proportional, floored on cumulative totals)', () => {
  test.each([
    // awarded, amountFen, refundedBefore, reversedBefore, refundFen, points
    [192, 12800, 0, 0, 6400, 96], // half
    [192, 12800, 6400, 96, 6400, 96], // the other half: 192 in all
    [192, 12800, 0, 0, 12800, 192], // full refund in one go
    [129, 12999, 0, 0, 100, 0], // floor(0.99) = 0
    [129, 12999, 0, 0, 101, 1], // floor(1.0023) = 1
    [129, 12999, 100, 0, 1, 1], // cumulative: 101 fen refunded -> 1 in all, so this refund reverses 1
    [100, 10000, 0, 0, 3333, 33],
    [100, 10000, 3333, 33, 3333, 33],
    [100, 10000, 6666, 66, 3334, 34],
    [0, 5000, 0, 0, 5000, 0], // nothing was awarded
    [150, 1000, 0, 0, 1, 0],
  ])('awarded %d on %d fen, %d/%d before, refund %d -> %d points', (awarded, amount, refBefore, revBefore, refund, points) => {
    expect(
      refundReversal({ awardedPoints: awarded, orderAmountFen: amount, refundedFenBefore: refBefore, reversedPointsBefore: revBefore, refundFen: refund }),
    ).toEqual({ ok: true, points });
  });

  test.each([
    // awarded, amountFen, parts
    [100, 10000, [3333, 3333, 3334]],
    [100, 9999, [3333, 3333, 3333]],
    [7, 300, [100, 100, 100]],
    [192, 12800, [1, 1, 12798]],
    [193, 12800, [4267, 4267, 4266]],
    [1, 3, [1, 1, 1]],
  ])('awarded %d on %d fen, refunded in parts %j: reversal never exceeds awarded, and a full refund reverses all', (awarded, amount, parts) => {
    let refunded = 0;
    let reversed = 0;
    for (const part of parts) {
      const r = refundReversal({ awardedPoints: awarded, orderAmountFen: amount, refundedFenBefore: refunded, reversedPointsBefore: reversed, refundFen: part });
      if (!r.ok) throw new Error(`refund ${part} rejected`);
      expect(r.points).toBeGreaterThanOrEqual(0);
      refunded += part;
      reversed += r.points;
      expect(reversed).toBeLessThanOrEqual(awarded);
      expect(reversed).toBe(Math.floor((awarded * refunded) / amount));
    }
    expect(refunded).toBe(amount);
    expect(reversed).toBe(awarded);
  });

  test('many small partial refunds: cumulative reversal tracks floor(awarded x refunded / amount)', () => {
    const awarded = 331;
    const amount = 27_183;
    let refunded = 0;
    let reversed = 0;
    let step = 1;
    while (refunded < amount) {
      const part = Math.min(step, amount - refunded);
      const r = refundReversal({ awardedPoints: awarded, orderAmountFen: amount, refundedFenBefore: refunded, reversedPointsBefore: reversed, refundFen: part });
      if (!r.ok) throw new Error('rejected');
      refunded += part;
      reversed += r.points;
      expect(reversed).toBe(Math.floor((awarded * refunded) / amount));
      step = (step * 7 + 3) % 997 || 1;
    }
    expect(reversed).toBe(awarded);
  });

  test.each([
    // name, input, refundableFen
    ['more than the order', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 0, reversedPointsBefore: 0, refundFen: 12801 }, 12800],
    ['more than what is left', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 6400, reversedPointsBefore: 96, refundFen: 6401 }, 6400],
    ['already fully refunded', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 12800, reversedPointsBefore: 192, refundFen: 1 }, 0],
    ['zero', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 0, reversedPointsBefore: 0, refundFen: 0 }, 12800],
    ['negative', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 0, reversedPointsBefore: 0, refundFen: -100 }, 12800],
    ['zero after a partial refund', { awardedPoints: 192, orderAmountFen: 12800, refundedFenBefore: 100, reversedPointsBefore: 1, refundFen: 0 }, 12700],
  ] as [string, Input, number][])('%s -> ok:false with refundableFen', (_name, input, refundableFen) => {
    expect(refundReversal(input)).toEqual({ ok: false, refundableFen });
  });
});
