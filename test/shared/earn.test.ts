import {
  applyMonthlyCap,
  computeCheckinEarning,
  computePurchaseEarning,
  computeTaskEarning,
  pctLabel,
  purchaseBase,
  sumLines,
  type BreakdownKind,
  type Earning,
} from '../../shared/src/rules/earn';
import type { CampaignView } from '../../shared/src/rules/campaign';
import { budgetLeft } from '../../shared/src/rules/campaign';
import { campaign, rules, tier } from './fixtures';

type TierCode = 'bronze' | 'silver' | 'gold';

function purchase(amountFen: number, tierCode: TierCode, opts: { birthday?: boolean; campaign?: CampaignView | null; maxPointsPerOrder?: number } = {}): Earning {
  return computePurchaseEarning({
    amountFen,
    tier: tier(tierCode),
    birthdayMonth: opts.birthday ?? false,
    campaign: opts.campaign ?? null,
    rules: { purchase: { ...rules.purchase, maxPointsPerOrder: opts.maxPointsPerOrder ?? rules.purchase.maxPointsPerOrder } },
  });
}

/** The breakdown as [kind, points] pairs, the way the member reads it. */
const shape = (e: Earning) => e.lines.map((l) => [l.kind, l.points] as [BreakdownKind, number]);

describe('pctLabel', () => {
  test.each([
    [100, '1'],
    [120, '1.2'],
    [125, '1.25'],
    [150, '1.5'],
    [200, '2'],
    [105, '1.05'],
    [101, '1.01'],
    [110, '1.1'],
    [199, '1.99'],
    [1000, '10'],
  ])('%d -> "%s"', (pct, label) => {
    expect(pctLabel(pct)).toBe(label);
  });
});

describe('purchaseBase (pointsPerYuan per whole yuan, floored)', () => {
  test.each([
    [0, 1, 0],
    [99, 1, 0],
    [100, 1, 1],
    [12999, 1, 129],
    [12800, 1, 128],
    [12999, 2, 259], // 259.98 -> 259
    [12999, 0, 0],
  ])('%d fen at %d point/yuan -> %d', (amountFen, perYuan, base) => {
    expect(purchaseBase(amountFen, { purchase: { ...rules.purchase, pointsPerYuan: perYuan } })).toBe(base);
  });
});

describe('computePurchaseEarning: tiers and birthday (12999 fen -> base 129)', () => {
  test.each([
    // tier, birthday, lines, total
    ['bronze', false, [['BASE', 129]], 129],
    ['silver', false, [['BASE', 129], ['TIER', 25]], 154], // 25.8 -> 25
    ['gold', false, [['BASE', 129], ['TIER', 64]], 193], // floor(129 x 0.5) = 64
    ['bronze', true, [['BASE', 129], ['BIRTHDAY', 129]], 258],
    ['silver', true, [['BASE', 129], ['TIER', 25], ['BIRTHDAY', 129]], 283],
    ['gold', true, [['BASE', 129], ['TIER', 64], ['BIRTHDAY', 129]], 322],
  ] as [TierCode, boolean, [BreakdownKind, number][], number][])('%s, birthday %s', (t, birthday, lines, total) => {
    const e = purchase(12999, t, { birthday });
    expect(shape(e)).toEqual(lines);
    expect(e.total).toBe(total);
    expect(e.campaignId).toBeNull();
    expect(e.campaignBonus).toBe(0);
  });

  test.each([
    // amountFen, tier, total
    [12800, 'gold', 192], // 128 + 64
    [100, 'gold', 1], // 1 + floor(0.5) = 1: no TIER line for a zero bonus
    [99, 'gold', 0],
    [0, 'bronze', 0],
    [200, 'silver', 2], // 2 + floor(0.4)
    [500, 'silver', 6], // 5 + 1
  ] as [number, TierCode, number][])('%d fen, %s -> %d', (amountFen, t, total) => {
    const e = purchase(amountFen, t);
    expect(e.total).toBe(total);
    expect(e.lines.filter((l) => l.kind !== 'BASE').every((l) => l.points !== 0)).toBe(true);
  });

  test('labels say why', () => {
    const e = purchase(12999, 'gold', { birthday: true });
    expect(e.lines.map((l) => l.label)).toEqual(['消费 1 分/元', '黄金会员 1.5倍', '生日月 2倍']);
  });
});

describe('computePurchaseEarning: campaigns (12999 fen -> base 129)', () => {
  test.each([
    // name, tier, campaign, lines, campaignBonus, campaignId
    ['stacking 2x adds its own line', 'gold', campaign({ multiplierPct: 200, stacksWithTier: true }),
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 129]], 129, 1],
    ['stacking 1.5x on bronze', 'bronze', campaign({ multiplierPct: 150, stacksWithTier: true }),
      [['BASE', 129], ['CAMPAIGN', 64]], 64, 1],
    ['non-stacking 2x replaces a smaller tier bonus', 'gold', campaign({ multiplierPct: 200, stacksWithTier: false }),
      [['BASE', 129], ['CAMPAIGN', 129]], 129, 1],
    ['non-stacking 1.2x does not replace a larger tier bonus', 'gold', campaign({ multiplierPct: 120, stacksWithTier: false }),
      [['BASE', 129], ['TIER', 64]], 0, null],
    ['non-stacking 1.5x on bronze (no tier bonus) applies', 'bronze', campaign({ multiplierPct: 150, stacksWithTier: false }),
      [['BASE', 129], ['CAMPAIGN', 64]], 64, 1],
    ['non-stacking 1.5x beats silver 1.2x', 'silver', campaign({ multiplierPct: 150, stacksWithTier: false }),
      [['BASE', 129], ['CAMPAIGN', 64]], 64, 1],
    ['stacking, budget left 50 < wanted 129', 'gold', campaign({ multiplierPct: 200, budgetPoints: 1000, issuedPoints: 950 }),
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 50]], 50, 1],
    ['stacking, budget left exactly the bonus', 'gold', campaign({ multiplierPct: 200, budgetPoints: 129 }),
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 129]], 129, 1],
    ['non-stacking, budget-limited 100 still beats tier 64', 'gold', campaign({ multiplierPct: 200, stacksWithTier: false, budgetPoints: 100 }),
      [['BASE', 129], ['CAMPAIGN', 100]], 100, 1],
    ['non-stacking, budget-limited 50 loses to tier 64', 'gold', campaign({ multiplierPct: 200, stacksWithTier: false, budgetPoints: 50 }),
      [['BASE', 129], ['TIER', 64]], 0, null],
  ] as [string, TierCode, CampaignView, [BreakdownKind, number][], number, number | null][])(
    '%s',
    (_name, t, c, lines, campaignBonus, campaignId) => {
      const e = purchase(12999, t, { campaign: c });
      expect(shape(e)).toEqual(lines);
      expect(e.total).toBe(sumLines(e.lines));
      expect(e.campaignBonus).toBe(campaignBonus);
      expect(e.campaignId).toBe(campaignId);
    },
  );

  test('birthday stacks with a campaign; campaigns are computed on the base, never compounded', () => {
    const e = purchase(12999, 'gold', { birthday: true, campaign: campaign({ multiplierPct: 300 }) });
    expect(shape(e)).toEqual([['BASE', 129], ['TIER', 64], ['CAMPAIGN', 258], ['BIRTHDAY', 129]]);
    expect(e.total).toBe(580);
  });

  test('campaign labels name the campaign and the multiplier, and say when the budget ran short', () => {
    expect(purchase(12999, 'gold', { campaign: campaign({ name: '周六双倍' }) }).lines[2]!.label).toBe('周六双倍 2倍');
    const short = purchase(12999, 'gold', { campaign: campaign({ name: '周六双倍', budgetPoints: 10 }) });
    expect(short.lines[2]!.label).toBe('周六双倍 2倍(活动预算已用完部分)');
  });
});

describe('computePurchaseEarning: per-order cap', () => {
  test.each([
    // name, amountFen, tier, opts, lines, total, campaignBonus
    ['default cap 100000: gold on 100000 yuan', 10_000_000, 'gold', {},
      [['BASE', 100000], ['TIER', 50000], ['CAP', -50000]], 100000, 0],
    ['base alone over the cap', 15_000_000, 'bronze', {},
      [['BASE', 150000], ['CAP', -50000]], 100000, 0],
    ['exactly at the cap: no CAP line', 10_000_000, 'bronze', {},
      [['BASE', 100000]], 100000, 0],
    // The CAMPAIGN line shows only the bonus granted (its own entry, its budget charge); CAP the rest (issue 13.2).
    ['cap 200: tier and birthday cut before the campaign', 12999, 'gold', { maxPointsPerOrder: 200, birthday: true, campaign: campaign() },
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 71], ['BIRTHDAY', 129], ['CAP', -193]], 200, 71],
    ['cap 200: campaign trimmed to what fits above the base', 12999, 'gold', { maxPointsPerOrder: 200, campaign: campaign() },
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 71], ['CAP', -64]], 200, 71],
    ['cap 300: campaign fits whole', 12999, 'gold', { maxPointsPerOrder: 300, campaign: campaign() },
      [['BASE', 129], ['TIER', 64], ['CAMPAIGN', 129], ['CAP', -22]], 300, 129],
    ['cap below the base: no campaign bonus is charged, and no CAMPAIGN line', 12999, 'gold', { maxPointsPerOrder: 100, campaign: campaign() },
      [['BASE', 129], ['TIER', 64], ['CAP', -93]], 100, 0],
    ['issue 13.2: 999,999.99 yuan, 2x with 49,950 budget left', 99_999_999, 'bronze', { campaign: campaign({ budgetPoints: 49_950 }) },
      [['BASE', 999_999], ['CAP', -899_999]], 100_000, 0],
    ['60,000 yuan, 2x: the cap trims the bonus to 40,000, no CAP line', 6_000_000, 'bronze', { campaign: campaign() },
      [['BASE', 60_000], ['CAMPAIGN', 40_000]], 100_000, 40_000],
  ] as [string, number, TierCode, Parameters<typeof purchase>[2], [BreakdownKind, number][], number, number][])(
    '%s',
    (_name, amountFen, t, opts, lines, total, campaignBonus) => {
      const e = purchase(amountFen, t, opts);
      expect(shape(e)).toEqual(lines);
      expect(e.total).toBe(total);
      expect(sumLines(e.lines)).toBe(total);
      expect(e.campaignBonus).toBe(campaignBonus);
      expect(e.campaignId).toBe(campaignBonus > 0 ? 1 : null);
    },
  );

  test('the CAP line names the limit', () => {
    const e = purchase(15_000_000, 'bronze');
    expect(e.lines.at(-1)).toEqual({ kind: 'CAP', label: '单笔上限 100000 分', points: -50000 });
  });
});

describe('computePurchaseEarning: invariants over many inputs', () => {
  // A small deterministic generator, so a failure names a reproducible case.
  function* cases(n: number) {
    let seed = 20260615;
    const next = (m: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % m;
    };
    const tiers: TierCode[] = ['bronze', 'silver', 'gold'];
    const pcts = [100, 105, 110, 120, 125, 133, 150, 175, 199, 200, 250, 300, 1000];
    for (let i = 0; i < n; i++) {
      const amountFen = [next(100), next(100_000), next(20_000_000), next(1_000_000_000)][next(4)]!;
      const budgetPoints = [0, next(10), next(1000), 2_000_000][next(4)]!;
      const c =
        next(3) === 0
          ? null
          : campaign({ id: 1 + next(50), multiplierPct: pcts[next(pcts.length)]!, stacksWithTier: next(2) === 0, budgetPoints, issuedPoints: next(budgetPoints + 1) });
      yield {
        amountFen,
        tier: tiers[next(3)]!,
        birthday: next(4) === 0,
        campaign: c,
        maxPointsPerOrder: [1, 50, 500, 100_000][next(4)]!,
        pointsPerYuan: [0, 1, 2, 10][next(4)]!,
      };
    }
  }

  test('3000 generated purchases: lines sum to total, the cap holds, campaign accounting is consistent', () => {
    for (const k of cases(3000)) {
      const r = { purchase: { ...rules.purchase, pointsPerYuan: k.pointsPerYuan, maxPointsPerOrder: k.maxPointsPerOrder } };
      const e = computePurchaseEarning({ amountFen: k.amountFen, tier: tier(k.tier), birthdayMonth: k.birthday, campaign: k.campaign, rules: r });
      const where = JSON.stringify(k);
      const base = purchaseBase(k.amountFen, r);
      expect([where, sumLines(e.lines)]).toEqual([where, e.total]);
      expect(Number.isSafeInteger(e.total)).toBe(true);
      expect(e.total).toBeGreaterThanOrEqual(0);
      expect(e.total).toBeLessThanOrEqual(k.maxPointsPerOrder);
      expect(e.total).toBeGreaterThanOrEqual(Math.min(base, k.maxPointsPerOrder)); // bonuses are cut before the base
      expect(e.lines[0]).toMatchObject({ kind: 'BASE', points: base });
      expect(e.lines.filter((l) => l.points < 0).every((l) => l.kind === 'CAP')).toBe(true);
      expect(e.campaignBonus).toBeGreaterThanOrEqual(0);
      if (k.campaign) expect(e.campaignBonus).toBeLessThanOrEqual(budgetLeft(k.campaign));
      expect(e.campaignBonus).toBeLessThanOrEqual(Math.max(0, e.total - base));
      expect(e.campaignId).toBe(e.campaignBonus > 0 ? k.campaign!.id : null);
      // The CAMPAIGN line is exactly the bonus booked (and charged to the budget): words match entries.
      const campaignLines = e.lines.filter((l) => l.kind === 'CAMPAIGN');
      expect([where, campaignLines.reduce((s, l) => s + l.points, 0)]).toEqual([where, e.campaignBonus]);
      expect(campaignLines.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('computeCheckinEarning', () => {
  test.each([
    // name, input, lines, campaignBonus, campaignId
    ['plain day', { basePoints: 1, bonusPoints: 0, streak: 3, campaign: null }, [['BASE', 1]], 0, null],
    ['7th day', { basePoints: 1, bonusPoints: 5, streak: 7, campaign: null }, [['BASE', 1], ['CHECKIN_BONUS', 5]], 0, null],
    ['7th day, 2x campaign on base + bonus', { basePoints: 1, bonusPoints: 5, streak: 7, campaign: campaign({ id: 4 }) },
      [['BASE', 1], ['CHECKIN_BONUS', 5], ['CAMPAIGN', 6]], 6, 4],
    ['plain day, 2x campaign', { basePoints: 1, bonusPoints: 0, streak: 2, campaign: campaign({ id: 4 }) }, [['BASE', 1], ['CAMPAIGN', 1]], 1, 4],
    ['1.5x on 1 point floors to 0: no line, no campaign', { basePoints: 1, bonusPoints: 0, streak: 2, campaign: campaign({ multiplierPct: 150 }) },
      [['BASE', 1]], 0, null],
    ['campaign budget left 2 of wanted 6', { basePoints: 1, bonusPoints: 5, streak: 14, campaign: campaign({ id: 4, budgetPoints: 10, issuedPoints: 8 }) },
      [['BASE', 1], ['CHECKIN_BONUS', 5], ['CAMPAIGN', 2]], 2, 4],
    ['campaign budget exhausted', { basePoints: 1, bonusPoints: 5, streak: 14, campaign: campaign({ budgetPoints: 10, issuedPoints: 10 }) },
      [['BASE', 1], ['CHECKIN_BONUS', 5]], 0, null],
  ] as [string, Parameters<typeof computeCheckinEarning>[0], [BreakdownKind, number][], number, number | null][])(
    '%s',
    (_name, input, lines, campaignBonus, campaignId) => {
      const e = computeCheckinEarning(input);
      expect(shape(e)).toEqual(lines);
      expect(e.total).toBe(sumLines(e.lines));
      expect(e.campaignBonus).toBe(campaignBonus);
      expect(e.campaignId).toBe(campaignId);
    },
  );

  test('labels', () => {
    const e = computeCheckinEarning({ basePoints: 1, bonusPoints: 5, streak: 7, campaign: campaign({ name: '签到翻倍' }) });
    expect(e.lines.map((l) => l.label)).toEqual(['每日签到', '连续签到第 7 天奖励', '签到翻倍 2倍']);
  });
});

describe('applyMonthlyCap (non-purchase points, default cap 500)', () => {
  const CAP = rules.nonPurchaseMonthlyCap;
  const seventhDay = computeCheckinEarning({ basePoints: 1, bonusPoints: 5, streak: 7, campaign: campaign({ id: 4 }) }); // 1 + 5 + 6 = 12

  test('the default cap is 500', () => {
    expect(CAP).toBe(500);
  });

  test.each([
    // usedThisMonth, total, cap line, campaignBonus, campaignId
    [0, 12, null, 6, 4],
    [488, 12, null, 6, 4], // exactly fits
    [489, 11, null, 5, 4], // the cap comes off the campaign bonus first: base 6 kept, bonus 5 (its line says 5)
    [495, 5, -1, 0, null], // only base points fit: the campaign is not charged (and has no line)
    [499, 1, -5, 0, null],
    [500, 0, -6, 0, null],
    [650, 0, -6, 0, null], // already over the cap (e.g. the cap was lowered)
  ])('used %d of 500 -> total %d, CAP %s, campaignBonus %d', (used, total, capLine, campaignBonus, campaignId) => {
    const e = applyMonthlyCap(seventhDay, used, CAP);
    expect(e.total).toBe(total);
    expect(sumLines(e.lines)).toBe(total);
    expect(e.lines.filter((l) => l.kind === 'CAP').map((l) => l.points)).toEqual(capLine === null ? [] : [capLine]);
    expect(e.campaignBonus).toBe(campaignBonus);
    expect(e.campaignId).toBe(campaignId);
    expect(e.lines.filter((l) => l.kind === 'CAMPAIGN').reduce((s, l) => s + l.points, 0)).toBe(campaignBonus);
  });

  test('under the cap the earning is returned unchanged', () => {
    expect(applyMonthlyCap(seventhDay, 0, CAP)).toBe(seventhDay);
  });

  test('the CAP line names the cap; earlier lines are kept and not mutated', () => {
    const before = JSON.parse(JSON.stringify(seventhDay));
    const e = applyMonthlyCap(seventhDay, 495, CAP);
    expect(e.lines.slice(0, 2)).toEqual(seventhDay.lines.slice(0, 2));
    expect(e.lines[2]).toEqual({ kind: 'CAP', label: '每月非消费积分上限 500 分', points: -1 });
    expect(applyMonthlyCap(seventhDay, 489, CAP).lines[2]).toEqual({ kind: 'CAMPAIGN', label: '双倍积分 2倍(每月非消费积分上限 500 分内)', points: 5 });
    expect(seventhDay).toEqual(before);
  });

  test.each([
    ['review', 100, 450, 50],
    ['review', 100, 400, 100],
    ['share', 5, 498, 2],
  ])('task %s (%d points) with %d used -> %d', (label, points, used, total) => {
    const e = applyMonthlyCap(computeTaskEarning(label, points), used, CAP);
    expect(e.total).toBe(total);
    expect(sumLines(e.lines)).toBe(total);
    expect(e.campaignId).toBeNull();
  });
});

describe('computeTaskEarning', () => {
  test.each([
    ['评价订单', rules.tasks.review],
    ['邀请好友', rules.tasks.inviteInviter],
    ['绑定会员卡', rules.tasks.bindCard],
  ])('%s -> one TASK line of %d', (label, points) => {
    expect(computeTaskEarning(label, points)).toEqual({ total: points, lines: [{ kind: 'TASK', label, points }], campaignId: null, campaignBonus: 0 });
  });
});

describe('non-stacking campaign on a tie with the tier bonus', () => {
  test('the tier keeps it: the campaign is not charged for points the tier already gives', () => {
    const e = purchase(12999, 'silver', { campaign: campaign({ id: 1, multiplierPct: 120, stacksWithTier: false }) });
    expect(shape(e)).toEqual([
      ['BASE', 129],
      ['TIER', 25],
    ]);
    expect(e).toMatchObject({ total: 154, campaignBonus: 0, campaignId: null });
  });
});
