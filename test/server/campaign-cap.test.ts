import { addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

// Issue 13.2: a campaign's budget is charged only for bonus the member actually got (after the per-order cap),
// and the purchase's breakdown names only what was booked: its CAMPAIGN line is exactly the separate
// EARN_CAMPAIGN_BONUS entry (or absent when the cap left no bonus).
const START = '2026-06-20T03:00:00Z'; // 11:00 Shanghai, inside the 10:00-22:00 campaign

async function campaign(t: TestApp, budgetPoints: number): Promise<{ id: number; mk: string }> {
  const mk = await staffToken(t, 'marketing');
  const res = await t.request('POST', '/api/v1/admin/campaigns', {
    token: mk,
    body: { name: '周六双倍积分', multiplier: 2, startsAt: '2026-06-20T10:00', endsAt: '2026-06-20T22:00', tiers: [], storeIds: [], channels: ['purchase'], stacksWithTier: false, budgetPoints },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, mk };
}

async function entriesOf(t: TestApp, member: { token: string }) {
  const res = await t.request('GET', '/api/v1/me/ledger?limit=50', { token: member.token });
  expect(res.status).toBe(200);
  return res.body.entries as { code: string; delta: number; breakdown: { kind: string; label: string; points: number }[] | null }[];
}

describe('campaign bonus and the per-order cap (issue 13.2)', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => {
    t = await startTestApp({ now: START });
    await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
  });
  afterEach(() => t.close());

  test('¥999,999.99 in a 2x campaign with 49,950 budget left: the cap takes the bonus, the budget is not charged', async () => {
    const c = await campaign(t, 49_950);
    const alice = await loginMember(t, 'alice');
    const p = await postPurchase(t, clerk, alice, 'BIG-1', 99_999_999);
    expect(p.pointsAwarded).toBe(100_000);
    const got = await t.request('GET', `/api/v1/admin/campaigns/${c.id}`, { token: c.mk });
    expect(got.body).toMatchObject({ issuedPoints: 0, budgetLeft: 49_950 });
    // What the member was given: base, less the cap. No campaign line, since no campaign points were booked.
    expect(p.breakdown.map((l: any) => [l.kind, l.points])).toEqual([
      ['BASE', 999_999],
      ['CAP', -899_999],
    ]);
    const entries = await entriesOf(t, alice);
    expect(entries.map((e) => [e.code, e.delta])).toEqual([['EARN_PURCHASE', 100_000]]);
    expect(entries[0]!.breakdown).toEqual(p.breakdown);
    expect(await t.verify()).toEqual([]);
  });

  test('a bonus the cap trims only in part: the CAMPAIGN line, the bonus entry and the budget charge are one figure', async () => {
    const c = await campaign(t, 1_000_000);
    const alice = await loginMember(t, 'alice');
    // 60,000.00 yuan: base 60,000, 2x wants +60,000, the 100,000 cap leaves 40,000 of it.
    const p = await postPurchase(t, clerk, alice, 'BIG-2', 6_000_000);
    expect(p.pointsAwarded).toBe(100_000);
    expect(p.breakdown.map((l: any) => [l.kind, l.points])).toEqual([
      ['BASE', 60_000],
      ['CAMPAIGN', 40_000],
    ]);
    expect(p.breakdown[1].label).toContain('单笔上限');
    const got = await t.request('GET', `/api/v1/admin/campaigns/${c.id}`, { token: c.mk });
    expect(got.body).toMatchObject({ issuedPoints: 40_000 });
    const entries = await entriesOf(t, alice);
    expect(entries.map((e) => [e.code, e.delta]).sort()).toEqual([
      ['EARN_CAMPAIGN_BONUS', 40_000],
      ['EARN_PURCHASE', 60_000],
    ]);
    expect(await t.verify()).toEqual([]);
  });
});
