import { applyRulesPatch, compensationFor, deepMerge, describeRuleChanges } from '../../shared/src/rules/value-change';
import { rules } from './fixtures';

const A = (points: number, fen: number) => ({ points, fen });

describe('compensationFor (rounded up, in the member’s favour)', () => {
  test.each([
    // balance, before, after, policy, points
    [1000, A(100, 100), A(100, 90), { mode: 'restore' as const }, 112], // ceil(1111.1) - 1000
    [333, A(100, 100), A(100, 90), { mode: 'restore' as const }, 37], // 370 exactly
    [1, A(100, 100), A(100, 90), { mode: 'restore' as const }, 1], // ceil(1.11) - 1
    [900, A(100, 100), A(100, 90), { mode: 'restore' as const }, 100], // 1000 exactly
    [1000, A(100, 100), A(100, 50), { mode: 'restore' as const }, 1000], // value halves: double the points
    [1000, A(100, 100), A(200, 100), { mode: 'restore' as const }, 1000], // same thing said with points
    [1000, A(100, 90), A(100, 100), { mode: 'restore' as const }, 0], // value rises: nothing to restore
    [1000, A(100, 100), A(100, 100), { mode: 'restore' as const }, 0], // anchor unchanged
    [0, A(100, 100), A(100, 90), { mode: 'restore' as const }, 0],
    [-50, A(100, 100), A(100, 90), { mode: 'restore' as const }, 0], // debt: nothing
    [1112, A(100, 100), A(100, 100), { mode: 'percent' as const, percent: 10 }, 112], // 111.2 -> 112
    [370, A(100, 100), A(100, 100), { mode: 'percent' as const, percent: 10 }, 37],
    [5, A(100, 100), A(100, 100), { mode: 'percent' as const, percent: 1 }, 1], // 0.05 -> 1
    [2_000_000_000, A(100, 100), A(100, 99), { mode: 'restore' as const }, 20_202_021], // BigInt: no float drift
  ])('balance %i, %j -> %j, %j: %i points', (balance, before, after, policy, points) => {
    expect(compensationFor(balance, before, after, policy)).toBe(points);
  });
});

describe('applyRulesPatch', () => {
  test('merges objects key by key and validates the whole', () => {
    const r = applyRulesPatch(rules, { anchor: { fen: 90 } });
    expect(r.ok && r.rules.anchor).toEqual({ points: 100, fen: 90 });
    expect(r.ok && r.rules.purchase).toEqual(rules.purchase);
  });
  test('a key a value change may not set, or an invalid value, is refused with the key named', () => {
    const a = applyRulesPatch(rules, { timezone: 'UTC' } as never);
    expect(a.ok).toBe(false);
    const b = applyRulesPatch(rules, { anchor: { fen: 0 } });
    expect(!b.ok && b.message).toContain('anchor.fen');
  });
  test('arrays replace whole', () => {
    expect(deepMerge({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: 5 } })).toEqual({ a: [3], b: { c: 1, d: 5 } });
  });
});

describe('describeRuleChanges', () => {
  test('one plain line per change', () => {
    const after = applyRulesPatch(rules, { anchor: { fen: 90 }, tiers: rules.tiers.map((t) => (t.code === 'gold' ? { ...t, multiplierPct: 130 } : t)), expiry: { policy: 'rolling', days: 365, reminderDays: [30] } });
    expect(after.ok).toBe(true);
    if (!after.ok) return;
    expect(describeRuleChanges(rules, after.rules)).toEqual([
      '积分价值:100 积分 = ¥1.00 → 100 积分 = ¥0.90',
      '黄金会员:2001 分起 1.5 倍 → 2001 分起 1.3 倍',
      '有效期:每年年底清零上一年积分 → 获得后 365 天过期',
    ]);
  });
});
