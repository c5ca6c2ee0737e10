import { tierFor, tierRank, tierWindowStart } from '../../shared/src/rules/tier';
import { rules, at } from './fixtures';

describe('tierFor with the default tiers (bronze 0-500, silver 501-2000, gold 2001+)', () => {
  test.each([
    // qualifying, current, next, pointsToNext, progressPct
    [0, 'bronze', 'silver', 501, 0],
    [1, 'bronze', 'silver', 500, 0],
    [250, 'bronze', 'silver', 251, 49], // 25000/501 = 49.9 -> 49
    [500, 'bronze', 'silver', 1, 99],
    [501, 'silver', 'gold', 1500, 0],
    [1251, 'silver', 'gold', 750, 50],
    [2000, 'silver', 'gold', 1, 99],
    [2001, 'gold', null, null, 100],
    [1_000_000, 'gold', null, null, 100],
  ])('%d qualifying points -> %s (next %s, %s to go, %d%%)', (q, current, next, toNext, pct) => {
    const s = tierFor(q, rules.tiers);
    expect(s.current.code).toBe(current);
    expect(s.next?.code ?? null).toBe(next);
    expect(s.qualifyingPoints).toBe(q);
    expect(s.pointsToNext).toBe(toNext);
    expect(s.progressPct).toBe(pct);
  });

  test.each([-1, -500, -1_000_000])('negative qualifying %d is treated as 0', (q) => {
    const s = tierFor(q, rules.tiers);
    expect(s).toEqual(tierFor(0, rules.tiers));
    expect(s.qualifyingPoints).toBe(0);
    expect(s.current.code).toBe('bronze');
    expect(s.pointsToNext).toBe(501);
  });

  test('multipliers come with the tier', () => {
    expect([0, 501, 2001].map((q) => tierFor(q, rules.tiers).current.multiplierPct)).toEqual([100, 120, 150]);
  });

  test('a single-tier config is always the top tier', () => {
    const only = [{ code: 'member', name: '会员', minPoints: 0, multiplierPct: 100 }];
    expect(tierFor(42, only)).toEqual({ current: only[0], next: null, qualifyingPoints: 42, pointsToNext: null, progressPct: 100 });
  });
});

describe('tierRank', () => {
  test.each([
    ['bronze', 0],
    ['silver', 1],
    ['gold', 2],
    ['platinum', -1],
  ])('%s -> %d', (code, rank) => {
    expect(tierRank(code, rules.tiers)).toBe(rank);
  });
});

describe('tierWindowStart (tierWindowMonths back, in the zone)', () => {
  test('the default window is 12 months', () => {
    expect(rules.tierWindowMonths).toBe(12);
  });

  test.each([
    ['2026-06-15T04:00:00.000Z', 12, '2025-06-15T04:00:00.000Z'],
    ['2026-06-14T16:00:00.000Z', 12, '2025-06-14T16:00:00.000Z'], // 2026-06-15 00:00 Shanghai -> 2025-06-15 00:00
    ['2026-01-01T00:00:00.000Z', 12, '2025-01-01T00:00:00.000Z'],
    ['2024-02-28T16:30:00.000Z', 12, '2023-02-27T16:30:00.000Z'], // 29 Feb (Shanghai) -> 28 Feb (Shanghai)
    ['2026-06-15T04:00:00.000Z', 6, '2025-12-15T04:00:00.000Z'],
  ])('now %s, %d months -> %s', (now, months, start) => {
    expect(tierWindowStart(at(now), { tierWindowMonths: months, timezone: rules.timezone }).toISOString()).toBe(start);
  });
});
