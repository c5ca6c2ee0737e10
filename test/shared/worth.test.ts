import { bonusFor, formatYuan, pointsToFen } from '../../shared/src/rules/worth';
import { rules } from './fixtures';

describe('pointsToFen', () => {
  test('the default anchor is 100 points = 100 fen (1 yuan)', () => {
    expect(rules.anchor).toEqual({ points: 100, fen: 100 });
  });

  test.each([
    // points, fen with the default anchor (1 point = 1 fen)
    [0, 0],
    [1, 1],
    [3, 3],
    [100, 100],
    [12345, 12345],
  ])('default anchor: %d points = %d fen', (points, fen) => {
    expect(pointsToFen(points, rules.anchor)).toBe(fen);
  });

  const halfAnchor = { points: 100, fen: 50 }; // 100 points = 0.50 yuan
  test.each([
    [0, 0],
    [1, 0], // 0.5 fen floors to 0
    [2, 1],
    [3, 1], // 1.5 fen floors to 1: worth is never overstated
    [99, 49],
    [100, 50],
    [12345, 6172],
  ])('anchor 100 points = 50 fen: %d points = %d fen (floored)', (points, fen) => {
    expect(pointsToFen(points, halfAnchor)).toBe(fen);
  });

  const oddAnchor = { points: 3, fen: 2 };
  test.each([
    [1, 0],
    [2, 1],
    [3, 2],
    [10, 6],
  ])('anchor 3 points = 2 fen: %d points = %d fen', (points, fen) => {
    expect(pointsToFen(points, oddAnchor)).toBe(fen);
  });
});

describe('formatYuan (integer arithmetic, two decimals)', () => {
  test.each([
    [12345, '123.45'],
    [5, '0.05'],
    [0, '0.00'],
    [-5, '-0.05'],
    [100, '1.00'],
    [10, '0.10'],
    [99, '0.99'],
    [101, '1.01'],
    [-12345, '-123.45'],
    [-100, '-1.00'],
    [100_000_000, '1000000.00'],
  ])('%d fen -> "%s"', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('bonusFor (extra part of an integer-percent multiplier, floored)', () => {
  test.each([
    // base, pct, bonus
    [100, 100, 0],
    [100, 150, 50],
    [100, 120, 20],
    [100, 200, 100],
    [129, 150, 64], // 64.5 -> 64
    [7, 150, 3], // 3.5 -> 3
    [4, 120, 0], // 0.8 -> 0
    [5, 120, 1],
    [1, 199, 0], // 0.99 -> 0
    [0, 200, 0],
    [12999, 125, 3249], // 3249.75 -> 3249
  ])('bonusFor(%d, %d) = %d', (base, pct, bonus) => {
    expect(bonusFor(base, pct)).toBe(bonus);
  });
});
