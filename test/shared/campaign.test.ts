import { budgetLeft, campaignApplies, selectCampaign, type EarnContext } from '../../shared/src/rules/campaign';
import { campaign, ms } from './fixtures';

// Saturday 10:00-22:00 Shanghai = 02:00Z-14:00Z
const START = ms('2026-06-20T02:00:00Z');
const END = ms('2026-06-20T14:00:00Z');
const saturday = (over = {}) => campaign({ startsAt: START, endsAt: END, ...over });
const ctx = (over: Partial<EarnContext> = {}): EarnContext => ({ nowMs: START + 3_600_000, tierCode: 'gold', storeId: 1, channel: 'purchase', ...over });

describe('campaignApplies', () => {
  test.each([
    // name, campaign overrides, context overrides, applies
    ['inside the window', {}, {}, true],
    ['start is inclusive', {}, { nowMs: START }, true],
    ['1 ms before start', {}, { nowMs: START - 1 }, false],
    ['1 ms before end', {}, { nowMs: END - 1 }, true],
    ['end is exclusive', {}, { nowMs: END }, false],
    ['empty tiers = every tier', { tiers: [] }, { tierCode: 'bronze' }, true],
    ['tier listed', { tiers: ['gold'] }, { tierCode: 'gold' }, true],
    ['tier not listed', { tiers: ['gold'] }, { tierCode: 'silver' }, false],
    ['one of several tiers', { tiers: ['silver', 'gold'] }, { tierCode: 'silver' }, true],
    ['empty stores = every store', { storeIds: [] }, { storeId: 42 }, true],
    ['empty stores also covers no store', { storeIds: [] }, { storeId: null }, true],
    ['store listed', { storeIds: [1, 2] }, { storeId: 2 }, true],
    ['store not listed', { storeIds: [1, 2] }, { storeId: 3 }, false],
    ['store-limited campaign, no store (e.g. online)', { storeIds: [1] }, { storeId: null }, false],
    ['channel listed', { channels: ['checkin'] }, { channel: 'checkin' }, true],
    ['channel not listed', { channels: ['checkin'] }, { channel: 'purchase' }, false],
    ['no channels at all', { channels: [] }, {}, false],
    ['ended early, before now', { endedAt: START + 1000 }, { nowMs: START + 2000 }, false],
    ['ended early, exactly now', { endedAt: START + 2000 }, { nowMs: START + 2000 }, false],
    ['ended early, but later than now', { endedAt: START + 3000 }, { nowMs: START + 2000 }, true],
    ['endedAt null', { endedAt: null }, {}, true],
    ['endedAt absent', { endedAt: undefined }, {}, true],
  ] as const)('%s -> %s', (_name, c, x, applies) => {
    expect(campaignApplies(saturday(c), ctx(x))).toBe(applies);
  });

  test('budget is not part of campaignApplies (selectCampaign checks it)', () => {
    expect(campaignApplies(saturday({ budgetPoints: 100, issuedPoints: 100 }), ctx())).toBe(true);
  });
});

describe('budgetLeft', () => {
  test.each([
    [2_000_000, 0, 2_000_000],
    [100, 40, 60],
    [100, 100, 0],
    [100, 130, 0], // overspent never goes negative
  ])('budget %d, issued %d -> %d left', (budget, issued, left) => {
    expect(budgetLeft(campaign({ budgetPoints: budget, issuedPoints: issued }))).toBe(left);
  });
});

describe('selectCampaign (highest multiplier, then earliest end, then id)', () => {
  test.each([
    ['none', [], null],
    ['the only one', [saturday({ id: 1 })], 1],
    ['highest multiplier wins', [saturday({ id: 1, multiplierPct: 150 }), saturday({ id: 2, multiplierPct: 300 }), saturday({ id: 3, multiplierPct: 200 })], 2],
    ['tie: earliest end wins', [saturday({ id: 1, endsAt: END }), saturday({ id: 2, endsAt: END - 1 })], 2],
    ['tie on end: lowest id wins', [saturday({ id: 9 }), saturday({ id: 4 }), saturday({ id: 7 })], 4],
    ['multiplier beats earlier end', [saturday({ id: 1, multiplierPct: 200, endsAt: END - 1 }), saturday({ id: 2, multiplierPct: 250 })], 2],
    ['budget exhausted is skipped', [saturday({ id: 1, multiplierPct: 300, budgetPoints: 500, issuedPoints: 500 }), saturday({ id: 2, multiplierPct: 150 })], 2],
    ['budget with 1 point left still counts', [saturday({ id: 1, multiplierPct: 300, budgetPoints: 500, issuedPoints: 499 }), saturday({ id: 2 })], 1],
    ['not applicable is skipped', [saturday({ id: 1, multiplierPct: 300, tiers: ['bronze'] }), saturday({ id: 2, multiplierPct: 150 })], 2],
    ['ended early is skipped', [saturday({ id: 1, multiplierPct: 300, endedAt: START }), saturday({ id: 2, multiplierPct: 150 })], 2],
    ['wrong channel is skipped', [saturday({ id: 1, multiplierPct: 300, channels: ['checkin'] }), saturday({ id: 2, multiplierPct: 150 })], 2],
    ['all excluded', [saturday({ id: 1, budgetPoints: 0 }), saturday({ id: 2, storeIds: [99] })], null],
  ])('%s', (_name, list, id) => {
    expect(selectCampaign(list, ctx())?.id ?? null).toBe(id);
  });

  test('does not depend on the input order', () => {
    const list = [saturday({ id: 3, multiplierPct: 200 }), saturday({ id: 1, multiplierPct: 200, endsAt: END - 5 }), saturday({ id: 2, multiplierPct: 200, endsAt: END - 5 })];
    expect(selectCampaign(list, ctx())?.id).toBe(1);
    expect(selectCampaign([...list].reverse(), ctx())?.id).toBe(1);
  });
});
