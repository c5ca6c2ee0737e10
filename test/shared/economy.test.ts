import { capReached, guardDecision, guardLabel, guardLines, guardedBase, issuanceCapFen } from '../../shared/src/rules/economy';
import { computePurchaseEarning } from '../../shared/src/rules/earn';
import { campaign, rules, tier } from './fixtures';

const cfg = rules.inflationGuard; // engage above 5 % of trailing sales, release below 4 %, factor 80 %

describe('guardDecision (hysteresis)', () => {
  test.each([
    // engaged, outstandingFen, trailingSalesFen, decision
    [false, 5000, 100_000, null], // at the upper line: not above
    [false, 5001, 100_000, 'ENGAGE'],
    [true, 5001, 100_000, null], // already engaged
    [true, 4500, 100_000, null], // between the lines: stays engaged
    [false, 4500, 100_000, null], // between the lines: stays released
    [true, 4000, 100_000, null], // at the lower line: not below
    [true, 3999, 100_000, 'RELEASE'],
    [false, 1_000_000, 0, null], // no sales history: no basis for a share
    [true, 1_000_000, 0, 'RELEASE'],
  ] as const)('engaged %s, outstanding %i, sales %i: %s', (engaged, outstanding, sales, decision) => {
    expect(guardDecision(engaged, outstanding, sales, cfg)).toBe(decision);
  });

  test('absolute lines replace the shares when set; a disabled guard releases', () => {
    const abs = { ...cfg, engageAboveFen: 10_000, releaseBelowFen: 8_000 };
    expect(guardLines(0, abs)).toEqual({ engageAboveFen: 10_000, releaseBelowFen: 8_000 });
    expect(guardDecision(false, 10_001, 0, abs)).toBe('ENGAGE');
    expect(guardDecision(true, 9_000, 0, abs)).toBeNull();
    expect(guardDecision(true, 7_999, 0, abs)).toBe('RELEASE');
    expect(guardDecision(true, 1e9, 1, { ...cfg, enabled: false })).toBe('RELEASE');
    expect(guardDecision(false, 1e9, 1, { ...cfg, enabled: false })).toBeNull();
  });
});

describe('guard on a purchase', () => {
  test.each([
    [100, 80, 80],
    [99, 80, 79], // floor(79.2)
    [1, 80, 0],
    [100, 100, 100],
  ])('base %i at %i%% keeps %i', (base, pct, kept) => expect(guardedBase(base, pct)).toBe(kept));

  test('the GUARD line comes right after the base; multipliers apply to what is left', () => {
    const e = computePurchaseEarning({ amountFen: 10_000, tier: tier('gold'), birthdayMonth: false, campaign: null, rules, guardFactorPct: 80 });
    expect(e.lines).toEqual([
      { kind: 'BASE', label: '消费 1 分/元', points: 100 },
      { kind: 'GUARD', label: '积分调控 ×0.8', points: -20 },
      { kind: 'TIER', label: '黄金会员 1.5倍', points: 40 },
    ]);
    expect(e.total).toBe(120);
    expect(guardLabel(75)).toBe('积分调控 ×0.75');
  });

  test('the cap drops the campaign with a PLAN_CAP line; base points stay', () => {
    const e = computePurchaseEarning({ amountFen: 10_000, tier: tier('bronze'), birthdayMonth: false, campaign: campaign(), rules, campaignStoppedByCap: true });
    expect(e).toMatchObject({ total: 100, campaignBonus: 0, campaignId: null });
    expect(e.lines.map((l) => l.kind)).toEqual(['BASE', 'PLAN_CAP']);
  });
});

describe('issuance cap', () => {
  test.each([
    [100_000, 500, 5000],
    [0, 500, null], // no plan: no cap
    [333, 500, 16], // floored
  ])('sales %i at %i bp: cap %s fen', (sales, bp, cap) => expect(issuanceCapFen(sales, bp)).toBe(cap));
  test.each([
    [4999, 5000, false],
    [5000, 5000, true],
    [1e9, null, false],
  ])('issued %i against %s: reached %s', (issued, cap, reached) => expect(capReached(issued, cap)).toBe(reached));
});
