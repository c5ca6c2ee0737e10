import { belowCost, priceInForce, scheduleAscending } from '@jifen/shared';

const D = (day: number) => Date.UTC(2026, 0, day);
const schedule = [
  { fromMs: D(10), pointsPrice: 1000 },
  { fromMs: D(20), pointsPrice: 500 },
];

describe('priceInForce', () => {
  it.each([
    ['before any step: the base price', D(1), 1200],
    ['one ms before the first step', D(10) - 1, 1200],
    ['on the first step', D(10), 1000],
    ['between steps', D(15), 1000],
    ['on the second step', D(20), 500],
    ['long after', D(400), 500],
  ])('%s', (_name, now, want) => {
    expect(priceInForce(schedule, 1200, now)).toBe(want);
  });
  it('an empty schedule is the base price', () => expect(priceInForce([], 700, D(5))).toBe(700));
});

describe('scheduleAscending', () => {
  it.each([
    [[], true],
    [[{ fromMs: 1 }], true],
    [[{ fromMs: 1 }, { fromMs: 2 }], true],
    [[{ fromMs: 2 }, { fromMs: 1 }], false],
    [[{ fromMs: 1 }, { fromMs: 1 }], false],
  ])('%j -> %s', (s, want) => expect(scheduleAscending(s)).toBe(want));
});

describe('belowCost', () => {
  const anchor = { points: 100, fen: 100 };
  it.each([
    [500, 500, false],
    [499, 500, true],
    [1000, 0, false],
  ])('%i points vs cost %i fen -> %s', (p, c, want) => expect(belowCost(p, c, anchor)).toBe(want));
});
