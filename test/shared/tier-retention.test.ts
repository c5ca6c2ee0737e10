import { retentionFigure, retentionText, reviewTier, tierReached, tierReviewAt, upgradeFor, type StoredTier } from '../../shared/src/rules/tier-retention';
import { rules, ms, at } from './fixtures';
import type { RulesConfig } from '../../shared/src/config';

const byPoints: RulesConfig = { ...rules, tierRetention: { ...rules.tierRetention, mode: 'by_points' } };
const gold = (reviewIso = '2027-03-10T04:00:00Z'): StoredTier => ({ code: 'gold', achievedAt: ms('2026-03-10T04:00:00Z'), yearFrom: ms('2026-03-10T04:00:00Z'), reviewAt: ms(reviewIso) });

describe('tier anniversary: keep or drop (bronze 0, silver 501, gold 2001)', () => {
  test.each([
    // stored, year points, mode, outcome, to
    ['gold', 2001, 'one_level', 'keep', 'gold'],
    ['gold', 5000, 'one_level', 'keep', 'gold'],
    ['gold', 2000, 'one_level', 'drop', 'silver'],
    ['gold', 0, 'one_level', 'drop', 'silver'],
    ['gold', 0, 'by_points', 'drop', 'bronze'],
    ['gold', 600, 'by_points', 'drop', 'silver'],
    ['gold', 2000, 'by_points', 'drop', 'silver'],
    ['silver', 501, 'one_level', 'keep', 'silver'],
    ['silver', 500, 'one_level', 'drop', 'bronze'],
    ['silver', 500, 'by_points', 'drop', 'bronze'],
    ['silver', -30, 'by_points', 'drop', 'bronze'],
    ['bronze', 0, 'one_level', 'keep', 'bronze'],
  ] as const)('%s with %d year points (%s) -> %s %s', (code, q, mode, outcome, to) => {
    const r = reviewTier({ ...gold(), code }, q, mode === 'by_points' ? byPoints : rules);
    expect(r.outcome).toBe(outcome);
    expect(r.to.code).toBe(to);
    expect(r.from.code).toBe(code);
  });

  test('the next year starts at the anniversary; a kept tier keeps its achieved date, a dropped one is dated the anniversary', () => {
    const kept = reviewTier(gold(), 2500, rules).next;
    expect(kept).toEqual({ code: 'gold', achievedAt: ms('2026-03-10T04:00:00Z'), yearFrom: ms('2027-03-10T04:00:00Z'), reviewAt: ms('2028-03-10T04:00:00Z') });
    const dropped = reviewTier(gold(), 10, rules).next;
    expect(dropped).toEqual({ code: 'silver', achievedAt: ms('2027-03-10T04:00:00Z'), yearFrom: ms('2027-03-10T04:00:00Z'), reviewAt: ms('2028-03-10T04:00:00Z') });
    // Down to the base tier: nothing left to keep, no review.
    expect(reviewTier(gold(), 0, byPoints).next.reviewAt).toBeNull();
  });

  test('a tier removed from config reads as the base tier (kept, no drop below it)', () => {
    expect(reviewTier({ ...gold(), code: 'platinum' }, 0, rules)).toMatchObject({ outcome: 'keep', to: { code: 'bronze' } });
  });
});

describe('upgrades are immediate on the rolling window', () => {
  test.each([
    ['bronze', 500, null],
    ['bronze', 501, 'silver'],
    ['bronze', 2001, 'gold'],
    ['silver', 2000, null],
    ['silver', 2001, 'gold'],
    ['gold', 9999, null],
    // Dropped to silver but the window still says gold would re-lift at the next earning: that is the rule.
    ['silver', 3000, 'gold'],
    ['unknown', 501, 'silver'],
  ] as const)('%s with %d rolling points -> %s', (code, q, to) => {
    expect(upgradeFor(code, q, rules)?.code ?? null).toBe(to);
  });

  test('a reached tier has its year from now and its anniversary a tier window later, in local calendar months', () => {
    expect(tierReached('silver', ms('2026-03-10T04:00:00Z'), rules)).toEqual({ code: 'silver', achievedAt: ms('2026-03-10T04:00:00Z'), yearFrom: ms('2026-03-10T04:00:00Z'), reviewAt: ms('2027-03-10T04:00:00Z') });
    expect(tierReached('bronze', ms('2026-03-10T04:00:00Z'), rules).reviewAt).toBeNull();
    // 29 Feb 2028 (local) + 12 months is clamped to 28 Feb 2029.
    expect(tierReviewAt(ms('2028-02-29T02:00:00Z'), rules)).toBe(ms('2029-02-28T02:00:00Z'));
  });
});

describe('再得 N 分保级: the figure and the warn window (30 days)', () => {
  test.each([
    // now, year points, pointsNeeded, daysLeft, atRisk
    ['2027-02-07T04:00:00Z', 0, 2001, 31, false], // 31 local days before: not yet
    ['2027-02-08T04:00:00Z', 0, 2001, 30, true],
    ['2027-02-08T04:00:00Z', 1500, 501, 30, true],
    ['2027-03-09T15:59:00Z', 2000, 1, 1, true], // 23:59 local on the eve
    ['2027-03-01T04:00:00Z', 2001, 0, 9, false], // already kept
    ['2027-03-10T04:00:00Z', 0, 2001, 0, false], // the anniversary itself: the job decides
  ] as const)('at %s with %d year points: %d needed, %d days left, at risk %s', (now, q, need, days, risk) => {
    expect(retentionFigure(gold(), q, at(now), rules)).toEqual({ pointsNeeded: need, reviewAt: ms('2027-03-10T04:00:00Z'), daysLeft: days, atRisk: risk });
  });

  test('the base tier has nothing to keep', () => {
    expect(retentionFigure({ code: 'bronze', achievedAt: 0, yearFrom: 0, reviewAt: null }, 0, at('2027-01-01T00:00:00Z'), rules)).toBeNull();
  });

  test('the line', () => {
    expect(retentionText('黄金', 120)).toBe('再得 120 分保级黄金');
  });
});
