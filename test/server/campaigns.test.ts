import { staffToken, addStoresAndStaff, countRows, loginMember, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

/**
 * Campaigns over HTTP: marketing's CRUD with history, roles, and what campaigns do to earnings
 * (time edges in Shanghai time, tier/store/channel filters, stacking, never compounding, budget).
 * The clock starts at 2026-06-20 09:00 Shanghai (01:00Z); the default campaign runs 10:00-22:00 that day.
 */

const START = '2026-06-20T01:00:00Z';

// Generous limits: these run real databases, and the budget test posts 100 purchases at once.
jest.setTimeout(30_000);
const CONCURRENT_TEST_TIMEOUT_MS = 120_000;

function campaignBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '周六双倍积分',
    multiplier: 2,
    startsAt: '2026-06-20T10:00',
    endsAt: '2026-06-20T22:00',
    tiers: [],
    storeIds: [],
    channels: ['purchase'],
    stacksWithTier: false,
    budgetPoints: 100_000,
    ...over,
  };
}

async function createCampaign(t: TestApp, token: string, over: Record<string, unknown> = {}): Promise<any> {
  const res = await t.request('POST', '/api/v1/admin/campaigns', { token, body: campaignBody(over) });
  if (res.status !== 201) throw new Error(`create campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let orderSeq = 0;

/** A purchase at the till the real way: the member shows a fresh code (at the current clock), the clerk posts it. */
async function buy(t: TestApp, member: { token: string }, clerkToken: string, amountFen: number): Promise<any> {
  const code = await t.request('GET', '/api/v1/me/code', { token: member.token });
  expect(code.status).toBe(200);
  const res = await t.request('POST', '/api/v1/till/purchases', { token: clerkToken, body: { memberCode: code.body.code, orderNo: `C-${++orderSeq}`, amountFen } });
  if (res.status !== 201) throw new Error(`purchase: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body.breakdown.reduce((s: number, l: any) => s + l.points, 0)).toBe(res.body.pointsAwarded);
  return res.body;
}

const linePoints = (purchase: any, kind: string): number =>
  purchase.breakdown.filter((l: any) => l.kind === kind).reduce((s: number, l: any) => s + l.points, 0);
const hasLine = (purchase: any, kind: string): boolean => purchase.breakdown.some((l: any) => l.kind === kind);

async function campaignBonusSum(t: TestApp): Promise<number> {
  const r = await t.ds.query(`SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE code = 'EARN_CAMPAIGN_BONUS'`);
  return Number(r[0].s);
}

async function getCampaign(t: TestApp, token: string, id: number): Promise<any> {
  const res = await t.request('GET', `/api/v1/admin/campaigns/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

/** Lifts a member to gold (2001+ qualifying points) with a 2500.00 yuan purchase before any campaign starts. */
async function makeGold(t: TestApp, member: { token: string }, clerkToken: string): Promise<void> {
  await buy(t, member, clerkToken, 250_000);
  const me = await t.request('GET', '/api/v1/me', { token: member.token });
  expect(me.body.tier.code).toBe('gold');
}

describe('campaigns: marketing CRUD, history, roles', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  beforeEach(async () => {
    t = await startTestApp({ now: START });
    stores = await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('create, list, edit and end, each with a history row; ended is read-only', async () => {
    const mk = await staffToken(t, 'marketing');
    const created = await t.request('POST', '/api/v1/admin/campaigns', {
      token: mk,
      body: campaignBody({ name: '  周六 1.15 倍  ', multiplier: 1.15, tiers: ['gold', 'silver'], storeIds: [stores.storeA, stores.storeB], channels: ['purchase', 'checkin'], budgetPoints: 2_000_000 }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '周六 1.15 倍',
      multiplier: 1.15,
      multiplierPct: 115,
      startsAt: '2026-06-20T02:00:00.000Z',
      endsAt: '2026-06-20T14:00:00.000Z',
      startsAtLocal: '2026-06-20T10:00',
      endsAtLocal: '2026-06-20T22:00',
      tiers: ['gold', 'silver'],
      storeIds: [stores.storeA, stores.storeB],
      channels: ['purchase', 'checkin'],
      stacksWithTier: false,
      budgetPoints: 2_000_000,
      issuedPoints: 0,
      budgetLeft: 2_000_000,
      status: 'scheduled',
      endedAt: null,
    });
    const id = created.body.id;
    // Stored as integers and epoch ms.
    const raw = await t.ds.query(`SELECT multiplier_pct, starts_at, ends_at FROM campaign WHERE id = ${Number(id)}`);
    expect(Number(raw[0].multiplier_pct)).toBe(115);
    expect(Number(raw[0].starts_at)).toBe(Date.parse('2026-06-20T02:00:00Z'));
    expect(Number(raw[0].ends_at)).toBe(Date.parse('2026-06-20T14:00:00Z'));

    const second = await createCampaign(t, mk, { name: '第二个活动', multiplier: 3, startsAt: '2026-06-21T10:00', endsAt: '2026-06-21T22:00' });
    const list = await t.request('GET', '/api/v1/admin/campaigns', { token: mk });
    expect(list.status).toBe(200);
    expect(list.body.campaigns.map((c: any) => c.id)).toEqual([second.id, id]);
    expect(list.body.nextCursor).toBeNull();

    const patched = await t.request('PATCH', `/api/v1/admin/campaigns/${id}`, { token: mk, body: { name: '周六加倍', multiplier: 2.5, budgetPoints: 3_000_000, endsAt: '2026-06-20T23:30', tiers: [] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '周六加倍', multiplierPct: 250, multiplier: 2.5, budgetPoints: 3_000_000, endsAtLocal: '2026-06-20T23:30', tiers: [], storeIds: [stores.storeA, stores.storeB] });
    expect((await getCampaign(t, mk, id)).name).toBe('周六加倍');

    // Running now (10:30 Shanghai); marketing ends it early.
    t.clock.set('2026-06-20T02:30:00Z');
    expect((await getCampaign(t, mk, id)).status).toBe('running');
    const ended = await t.request('POST', `/api/v1/admin/campaigns/${id}/end`, { token: mk });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', endedAt: '2026-06-20T02:30:00.000Z', endedAtLocal: '2026-06-20T10:30' });

    const history = await t.request('GET', `/api/v1/admin/campaigns/${id}/history`, { token: mk });
    expect(history.status).toBe(200);
    const rows = history.body.history;
    const staffId = Number((await t.ds.query(`SELECT id FROM staff WHERE username = 'marketing'`))[0].id);
    expect(rows.map((h: any) => h.action)).toEqual(['CREATE', 'UPDATE', 'END']);
    for (const h of rows) expect(h).toMatchObject({ campaignId: id, actor: `staff:${staffId}` });
    expect(rows[0].snapshot).toMatchObject({ name: '周六 1.15 倍', multiplierPct: 115, budgetPoints: 2_000_000, endedAt: null });
    expect(rows[0].createdAt).toBe('2026-06-20T01:00:00.000Z');
    expect(rows[0].snapshot.tiers).toEqual(['gold', 'silver']);
    expect(rows[1].snapshot).toMatchObject({ name: '周六加倍', multiplierPct: 250, budgetPoints: 3_000_000, endsAtLocal: '2026-06-20T23:30', tiers: [] });
    expect(rows[2].snapshot).toMatchObject({ endedAt: '2026-06-20T02:30:00.000Z' });
    expect(rows[2].createdAt).toBe('2026-06-20T02:30:00.000Z');

    // Read-only after the end: no edit, no second end, and nothing written.
    const historyRows = await countRows(t, 'campaign_history');
    const edit = await t.request('PATCH', `/api/v1/admin/campaigns/${id}`, { token: mk, body: { name: '改名' } });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('CAMPAIGN_ENDED');
    const again = await t.request('POST', `/api/v1/admin/campaigns/${id}/end`, { token: mk });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CAMPAIGN_ENDED');
    expect(await countRows(t, 'campaign_history')).toBe(historyRows);
    expect((await getCampaign(t, mk, id)).name).toBe('周六加倍');

    // A purchase after the early end gets no bonus, though the campaign's window is still open.
    const alice = await loginMember(t, 'alice');
    const p = await buy(t, alice, await staffToken(t, 'clerk-a'), 1000);
    expect(hasLine(p, 'CAMPAIGN')).toBe(false);
    expect(p.pointsAwarded).toBe(10);

    // Past its end time a campaign is ended too, without anyone ending it.
    t.clock.set('2026-06-21T14:00:00Z');
    const mk2 = await staffToken(t, 'marketing');
    expect((await getCampaign(t, mk2, second.id)).status).toBe('ended');
    const late = await t.request('PATCH', `/api/v1/admin/campaigns/${second.id}`, { token: mk2, body: { endsAt: '2026-06-21T22:00' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CAMPAIGN_ENDED');
    const lateEnd = await t.request('POST', `/api/v1/admin/campaigns/${second.id}/end`, { token: mk2 });
    expect(lateEnd.status).toBe(409);
    expect(lateEnd.body.error.code).toBe('CAMPAIGN_ENDED');
    expect(await t.verify()).toEqual([]);
  });

  test('bad input is 400 VALIDATION_FAILED and writes nothing; unknown ids are 404', async () => {
    const mk = await staffToken(t, 'marketing');
    const existing = await createCampaign(t, mk);
    const before = { campaign: await countRows(t, 'campaign'), history: await countRows(t, 'campaign_history') };
    const bad: Record<string, unknown>[] = [
      { multiplier: 1 },
      { multiplier: 1.09 },
      { multiplier: 1.234 },
      { multiplier: 10.01 },
      { multiplier: '2' },
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(51) },
      { startsAt: '2026-06-20 10:00' },
      { startsAt: '2026-02-30T10:00', endsAt: '2026-03-02T10:00' },
      { startsAt: '2026-06-20T24:00' },
      { endsAt: '2026-06-20T10:00' },
      { endsAt: '2026-06-20T09:00' },
      { startsAt: '2026-06-19T10:00', endsAt: '2026-06-20T08:59' }, // already over (now is 09:00)
      { tiers: ['diamond'] },
      { tiers: ['gold', 'gold'] },
      { storeIds: [999] },
      { storeIds: [stores.storeA, stores.storeA] },
      { channels: [] },
      { channels: ['share'] },
      { stacksWithTier: 'yes' },
      { budgetPoints: 0 },
      { budgetPoints: 1_000_000_001 },
      { budgetPoints: 10.5 },
      { extra: 1 },
    ];
    for (const over of bad) {
      const res = await t.request('POST', '/api/v1/admin/campaigns', { token: mk, body: campaignBody(over) });
      expect([JSON.stringify(over), res.status, res.body?.error?.code]).toEqual([JSON.stringify(over), 400, 'VALIDATION_FAILED']);
    }
    const missing = campaignBody();
    delete missing.budgetPoints;
    expect((await t.request('POST', '/api/v1/admin/campaigns', { token: mk, body: missing })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/admin/campaigns', { token: mk, rawBody: '{"name":' })).status).toBe(400);

    for (const body of [{}, { endsAt: '2026-06-20T09:30' }, { multiplier: 0.5 }, { issuedPoints: 0 }, { tiers: ['nope'] }, { name: null }]) {
      const res = await t.request('PATCH', `/api/v1/admin/campaigns/${existing.id}`, { token: mk, body });
      expect([JSON.stringify(body), res.status, res.body?.error?.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
    }
    expect(await countRows(t, 'campaign')).toBe(before.campaign);
    expect(await countRows(t, 'campaign_history')).toBe(before.history);
    expect(await getCampaign(t, mk, existing.id)).toEqual(existing);

    for (const [method, path] of [
      ['GET', '/api/v1/admin/campaigns/9999'],
      ['PATCH', '/api/v1/admin/campaigns/9999'],
      ['POST', '/api/v1/admin/campaigns/9999/end'],
      ['GET', '/api/v1/admin/campaigns/9999/history'],
    ] as const) {
      const res = await t.request(method, path, { token: mk, body: method === 'PATCH' ? { name: 'x' } : undefined });
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await t.request('GET', '/api/v1/admin/campaigns/abc', { token: mk })).status).toBe(400);
  });

  test('a started campaign keeps its start; an edit while running applies to the next purchase', async () => {
    const mk = await staffToken(t, 'marketing');
    const c = await createCampaign(t, mk);
    // Scheduled: the start may move.
    const moved = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk, body: { startsAt: '2026-06-20T09:30' } });
    expect(moved.status).toBe(200);
    expect(moved.body.startsAtLocal).toBe('2026-06-20T09:30');
    const crossed = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk, body: { startsAt: '2026-06-20T23:00' } });
    expect(crossed.status).toBe(400);
    t.clock.set('2026-06-20T02:00:00Z');
    const started = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk, body: { startsAt: '2026-06-20T11:00' } });
    expect(started.status).toBe(400);
    expect(started.body.error.details).toEqual([expect.objectContaining({ path: 'startsAt' })]);
    const triple = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk, body: { multiplier: 3 } });
    expect(triple.status).toBe(200);
    const alice = await loginMember(t, 'alice');
    const p = await buy(t, alice, await staffToken(t, 'clerk-a'), 1000);
    expect(linePoints(p, 'CAMPAIGN')).toBe(20);
  });

  test('an Idempotency-Key on create replays the first campaign instead of making a twin', async () => {
    const mk = await staffToken(t, 'marketing');
    const headers = { 'Idempotency-Key': 'campaign-create-0001' };
    const first = await t.request('POST', '/api/v1/admin/campaigns', { token: mk, body: campaignBody(), headers });
    const retry = await t.request('POST', '/api/v1/admin/campaigns', { token: mk, body: campaignBody(), headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await t.request('POST', '/api/v1/admin/campaigns', { token: mk, body: campaignBody({ multiplier: 3 }), headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await countRows(t, 'campaign')).toBe(1);
    expect(await countRows(t, 'campaign_history')).toBe(1);
  });

  test('roles: marketing and admin manage campaigns; clerks and members 403; no token 401', async () => {
    const mk = await staffToken(t, 'marketing');
    const admin = await staffToken(t, 'admin');
    const clerk = await staffToken(t, 'clerk-a');
    const member = (await loginMember(t, 'alice')).token;
    const c = await createCampaign(t, mk);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/campaigns'],
      ['POST', '/api/v1/admin/campaigns', campaignBody()],
      ['GET', `/api/v1/admin/campaigns/${c.id}`],
      ['PATCH', `/api/v1/admin/campaigns/${c.id}`, { name: '改' }],
      ['GET', `/api/v1/admin/campaigns/${c.id}/history`],
      ['POST', `/api/v1/admin/campaigns/${c.id}/end`],
    ];
    for (const [method, path, body] of routes) {
      for (const [who, token, status] of [
        ['none', undefined, 401],
        ['member', member, 403],
        ['clerk', clerk, 403],
      ] as const) {
        const res = await t.request(method, path, { token, body });
        expect([who, method, path, res.status]).toEqual([who, method, path, status]);
      }
    }
    expect(await countRows(t, 'campaign')).toBe(1);
    expect(await countRows(t, 'campaign_history')).toBe(1);
    for (const token of [mk, admin]) {
      const made = await t.request('POST', '/api/v1/admin/campaigns', { token, body: campaignBody() });
      expect(made.status).toBe(201);
      expect((await t.request('GET', '/api/v1/admin/campaigns', { token })).status).toBe(200);
      expect((await t.request('GET', `/api/v1/admin/campaigns/${made.body.id}`, { token })).status).toBe(200);
      expect((await t.request('PATCH', `/api/v1/admin/campaigns/${made.body.id}`, { token, body: { name: '改' } })).status).toBe(200);
      expect((await t.request('POST', `/api/v1/admin/campaigns/${made.body.id}/end`, { token })).status).toBe(200);
      expect((await t.request('GET', `/api/v1/admin/campaigns/${made.body.id}/history`, { token })).body.history).toHaveLength(3);
    }
    // The member banner is for members only.
    expect((await t.request('GET', '/api/v1/campaigns/active')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/campaigns/active', { token: mk })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/campaigns/active', { token: member })).status).toBe(200);
  });
});

describe('campaigns: what they do to earnings', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  let mk: string;
  beforeEach(async () => {
    t = await startTestApp({ now: START });
    stores = await addStoresAndStaff(t);
    mk = await staffToken(t, 'marketing');
  });
  afterEach(() => t.close());

  test('10:00-22:00 Shanghai: 09:59:59 no bonus, 10:00:00 bonus, 21:59:59 bonus, 22:00:00 no bonus', async () => {
    const c = await createCampaign(t, mk);
    const alice = await loginMember(t, 'alice');
    const cases: [string, boolean][] = [
      ['2026-06-20T01:59:59Z', false],
      ['2026-06-20T02:00:00Z', true],
      ['2026-06-20T13:59:59Z', true],
      ['2026-06-20T14:00:00Z', false],
    ];
    let expectedIssued = 0;
    for (const [at, bonus] of cases) {
      t.clock.set(at);
      const clerk = await staffToken(t, 'clerk-a'); // staff tokens last one shift; log in at the new time
      const p = await buy(t, alice, clerk, 1000);
      expect([at, linePoints(p, 'CAMPAIGN'), p.pointsAwarded]).toEqual([at, bonus ? 10 : 0, bonus ? 20 : 10]);
      expect([at, hasLine(p, 'CAMPAIGN')]).toEqual([at, bonus]);
      if (bonus) expect(p.breakdown.find((l: any) => l.kind === 'CAMPAIGN').label).toContain('周六双倍积分');
      expectedIssued += bonus ? 10 : 0;
      const active = await t.request('GET', '/api/v1/campaigns/active', { token: alice.token });
      expect([at, active.body.campaigns.map((x: any) => x.id)]).toEqual([at, bonus ? [c.id] : []]);
    }
    const final = await getCampaign(t, await staffToken(t, 'marketing'), c.id);
    expect(final).toMatchObject({ issuedPoints: expectedIssued, status: 'ended' });
    expect(await campaignBonusSum(t)).toBe(expectedIssued);
    expect(await t.verify()).toEqual([]);
  });

  test('tier filter: a gold-only campaign skips a bronze member; the banner shows it only to gold', async () => {
    const clerk = await staffToken(t, 'clerk-a');
    const gold = await loginMember(t, 'gold');
    const bronze = await loginMember(t, 'bronze');
    await makeGold(t, gold, clerk);
    const c = await createCampaign(t, mk, { tiers: ['gold'], multiplier: 3 });
    t.clock.set('2026-06-20T03:00:00Z');
    const clerk2 = await staffToken(t, 'clerk-a');
    const pb = await buy(t, bronze, clerk2, 1000);
    expect(hasLine(pb, 'CAMPAIGN')).toBe(false);
    expect(pb.pointsAwarded).toBe(10);
    const pg = await buy(t, gold, clerk2, 1000);
    expect(linePoints(pg, 'CAMPAIGN')).toBe(20); // 3x non-stacking beats gold's 1.5x
    expect(pg.pointsAwarded).toBe(30);
    const seenByGold = await t.request('GET', '/api/v1/campaigns/active', { token: gold.token });
    expect(seenByGold.status).toBe(200);
    expect(seenByGold.body.campaigns).toEqual([
      { id: c.id, name: '周六双倍积分', multiplier: 3, multiplierPct: 300, endsAt: '2026-06-20T14:00:00.000Z', endsAtLocal: '2026-06-20T22:00', channels: ['purchase'], stacksWithTier: false, allStores: true, stores: [] },
    ]);
    const seenByBronze = await t.request('GET', '/api/v1/campaigns/active', { token: bronze.token });
    expect(seenByBronze.body.campaigns).toEqual([]);
  });

  test('store filter: a store-A campaign gives no bonus on a purchase at store B', async () => {
    await createCampaign(t, mk, { storeIds: [stores.storeA] });
    t.clock.set('2026-06-20T03:00:00Z');
    const alice = await loginMember(t, 'alice');
    const atB = await buy(t, alice, await staffToken(t, 'clerk-b'), 1000);
    expect(hasLine(atB, 'CAMPAIGN')).toBe(false);
    expect(atB.pointsAwarded).toBe(10);
    t.clock.advance(60_000);
    const atA = await buy(t, alice, await staffToken(t, 'clerk-a'), 1000);
    expect(linePoints(atA, 'CAMPAIGN')).toBe(10);
    const active = await t.request('GET', '/api/v1/campaigns/active', { token: alice.token });
    expect(active.body.campaigns).toHaveLength(1);
    expect(active.body.campaigns[0]).toMatchObject({ allStores: false, stores: [{ id: stores.storeA, name: '国贸旗舰店' }] });
  });

  test('channel: a check-in campaign doubles check-in points and leaves purchases alone', async () => {
    const c = await createCampaign(t, mk, { channels: ['checkin'], name: '签到双倍' });
    t.clock.set('2026-06-20T03:00:00Z');
    const alice = await loginMember(t, 'alice');
    const checkin = await t.request('POST', '/api/v1/me/checkins', { token: alice.token });
    expect(checkin.status).toBe(201);
    expect(checkin.body.points).toBe(2);
    expect(checkin.body.breakdown).toEqual([
      { kind: 'BASE', label: '每日签到', points: 1 },
      { kind: 'CAMPAIGN', label: '签到双倍 2倍', points: 1 },
    ]);
    const p = await buy(t, alice, await staffToken(t, 'clerk-a'), 1000);
    expect(hasLine(p, 'CAMPAIGN')).toBe(false);
    expect((await getCampaign(t, await staffToken(t, 'marketing'), c.id)).issuedPoints).toBe(1);
    const active = await t.request('GET', '/api/v1/campaigns/active', { token: alice.token });
    expect(active.body.campaigns[0]).toMatchObject({ id: c.id, channels: ['checkin'] });
    expect(await campaignBonusSum(t)).toBe(1);
    expect(await t.verify()).toEqual([]);
  });

  test('stacking with the tier multiplier vs not (gold 1.5x, 100.00 yuan)', async () => {
    const gold = await loginMember(t, 'gold');
    await makeGold(t, gold, await staffToken(t, 'clerk-a'));
    t.clock.set('2026-06-20T03:00:00Z');
    const mk2 = await staffToken(t, 'marketing');
    const clerk = await staffToken(t, 'clerk-a');

    const stacking = await createCampaign(t, mk2, { startsAt: '2026-06-20T11:00', stacksWithTier: true });
    const p1 = await buy(t, gold, clerk, 10_000);
    expect(p1.breakdown.map((l: any) => [l.kind, l.points])).toEqual([['BASE', 100], ['TIER', 50], ['CAMPAIGN', 100]]);
    expect(p1.pointsAwarded).toBe(250);
    expect((await t.request('POST', `/api/v1/admin/campaigns/${stacking.id}/end`, { token: mk2 })).status).toBe(200);

    t.clock.advance(60_000);
    const replacing = await createCampaign(t, mk2, { startsAt: '2026-06-20T11:00', stacksWithTier: false });
    const p2 = await buy(t, gold, clerk, 10_000);
    expect(p2.breakdown.map((l: any) => [l.kind, l.points])).toEqual([['BASE', 100], ['CAMPAIGN', 100]]);
    expect(p2.pointsAwarded).toBe(200);
    expect((await t.request('POST', `/api/v1/admin/campaigns/${replacing.id}/end`, { token: mk2 })).status).toBe(200);

    // A non-stacking 1.2x is worse than gold's own 1.5x: the member keeps the tier bonus; the budget is untouched.
    t.clock.advance(60_000);
    const weak = await createCampaign(t, mk2, { startsAt: '2026-06-20T11:00', multiplier: 1.2, stacksWithTier: false });
    const p3 = await buy(t, gold, clerk, 10_000);
    expect(p3.breakdown.map((l: any) => [l.kind, l.points])).toEqual([['BASE', 100], ['TIER', 50]]);
    expect(p3.pointsAwarded).toBe(150);
    expect((await getCampaign(t, mk2, weak.id)).issuedPoints).toBe(0);
    expect(await campaignBonusSum(t)).toBe(200);
    expect(await t.verify()).toEqual([]);
  });

  test('two campaigns at once never compound: the best one wins alone', async () => {
    const small = await createCampaign(t, mk, { name: '1.5倍', multiplier: 1.5 });
    const big = await createCampaign(t, mk, { name: '3倍', multiplier: 3 });
    t.clock.set('2026-06-20T03:00:00Z');
    const alice = await loginMember(t, 'alice');
    const p = await buy(t, alice, await staffToken(t, 'clerk-a'), 1000);
    expect(p.breakdown.map((l: any) => [l.kind, l.points])).toEqual([['BASE', 10], ['CAMPAIGN', 20]]);
    expect(p.pointsAwarded).toBe(30);
    const mk2 = await staffToken(t, 'marketing');
    expect((await getCampaign(t, mk2, big.id)).issuedPoints).toBe(20);
    expect((await getCampaign(t, mk2, small.id)).issuedPoints).toBe(0);
    const bonusEntries = await t.ds.query(`SELECT delta FROM ledger_entry WHERE code = 'EARN_CAMPAIGN_BONUS'`);
    expect(bonusEntries.map((r: any) => Number(r.delta))).toEqual([20]);
    const active = await t.request('GET', '/api/v1/campaigns/active', { token: alice.token });
    expect(active.body.campaigns.map((x: any) => x.id)).toEqual([big.id, small.id]);
  });

  test('budget 500 under 100 concurrent purchases: exactly 500 bonus issued, base for all 100, ledger clean', async () => {
    const c = await createCampaign(t, mk, { budgetPoints: 500 });
    t.clock.set('2026-06-20T03:00:00Z');
    const clerk = await staffToken(t, 'clerk-a');
    const members: { token: string; id: number }[] = [];
    for (let i = 0; i < 100; i++) members.push(await loginMember(t, `budget-${i}`));
    const codes = await Promise.all(members.map((m) => t.request('GET', '/api/v1/me/code', { token: m.token })));
    const results = await Promise.all(
      members.map((_, i) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: codes[i]!.body.code, orderNo: `B-${i}`, amountFen: 1000 } })),
    );
    expect(results.map((r) => r.status)).toEqual(new Array(100).fill(201));
    for (const r of results) {
      expect(linePoints(r.body, 'BASE')).toBe(10);
      expect([0, 10]).toContain(linePoints(r.body, 'CAMPAIGN'));
      expect(r.body.breakdown.reduce((s: number, l: any) => s + l.points, 0)).toBe(r.body.pointsAwarded);
    }
    const bonusTotal = results.reduce((s, r) => s + linePoints(r.body, 'CAMPAIGN'), 0);
    const withBonus = results.filter((r) => hasLine(r.body, 'CAMPAIGN')).length;
    const after = await getCampaign(t, await staffToken(t, 'marketing'), c.id);
    expect(after).toMatchObject({ issuedPoints: 500, budgetLeft: 0 });
    expect(bonusTotal).toBe(500);
    expect(withBonus).toBe(50);
    expect(await campaignBonusSum(t)).toBe(after.issuedPoints);
    const base = await t.ds.query(`SELECT COUNT(*) AS n, COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE code = 'EARN_PURCHASE'`);
    expect([Number(base[0].n), Number(base[0].s)]).toEqual([100, 1000]);
    expect(results.reduce((s, r) => s + r.body.pointsAwarded, 0)).toBe(1500);
    expect(await t.verify()).toEqual([]);
    // A spent campaign leaves the member banner.
    expect((await t.request('GET', '/api/v1/campaigns/active', { token: members[0]!.token })).body.campaigns).toEqual([]);
  }, CONCURRENT_TEST_TIMEOUT_MS);

  test('a partly affordable bonus gets only what is left; the budget cannot drop below what was issued', async () => {
    const c = await createCampaign(t, mk, { budgetPoints: 15 });
    t.clock.set('2026-06-20T03:00:00Z');
    const clerk = await staffToken(t, 'clerk-a');
    const mk2 = await staffToken(t, 'marketing');
    const [m1, m2, m3, m4] = [await loginMember(t, 'm1'), await loginMember(t, 'm2'), await loginMember(t, 'm3'), await loginMember(t, 'm4')];
    const p1 = await buy(t, m1, clerk, 1000);
    expect(linePoints(p1, 'CAMPAIGN')).toBe(10);
    const p2 = await buy(t, m2, clerk, 1000);
    expect(linePoints(p2, 'CAMPAIGN')).toBe(5);
    expect(p2.pointsAwarded).toBe(15);
    expect(p2.breakdown.find((l: any) => l.kind === 'CAMPAIGN').label).toContain('预算');
    const p3 = await buy(t, m3, clerk, 1000);
    expect(p3.breakdown.map((l: any) => [l.kind, l.points])).toEqual([['BASE', 10]]);
    expect(await getCampaign(t, mk2, c.id)).toMatchObject({ issuedPoints: 15, budgetLeft: 0, status: 'running' });

    const lower = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk2, body: { budgetPoints: 14 } });
    expect(lower.status).toBe(400);
    expect(lower.body.error.code).toBe('VALIDATION_FAILED');
    expect(lower.body.error.details).toEqual([expect.objectContaining({ path: 'budgetPoints' })]);
    const same = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk2, body: { budgetPoints: 15 } });
    expect(same.status).toBe(200);
    const raise = await t.request('PATCH', `/api/v1/admin/campaigns/${c.id}`, { token: mk2, body: { budgetPoints: 25 } });
    expect(raise.status).toBe(200);
    expect(raise.body).toMatchObject({ budgetPoints: 25, issuedPoints: 15, budgetLeft: 10 });
    const p4 = await buy(t, m4, clerk, 1000);
    expect(linePoints(p4, 'CAMPAIGN')).toBe(10);
    expect(await getCampaign(t, mk2, c.id)).toMatchObject({ issuedPoints: 25, budgetLeft: 0 });
    expect(await campaignBonusSum(t)).toBe(25);
    expect(await t.verify()).toEqual([]);
  });
});

describe('GET /admin/stores (the campaign form store chips)', () => {
  test('marketing and admin see every store; clerks and members are refused', async () => {
    const t = await startTestApp();
    try {
      await addStoresAndStaff(t);
      const login = async (username: string) => (await t.request('POST', '/api/v1/auth/staff', { body: { username, password: TEST_PASSWORD } })).body.token as string;
      const ok = await t.request('GET', '/api/v1/admin/stores', { token: await login('marketing') });
      expect(ok.status).toBe(200);
      expect(ok.body.stores.map((s: { code: string; name: string }) => [s.code, s.name])).toEqual([
        ['A', '国贸旗舰店'],
        ['B', '三里屯店'],
      ]);
      expect((await t.request('GET', '/api/v1/admin/stores', { token: await login('admin') })).status).toBe(200);
      expect((await t.request('GET', '/api/v1/admin/stores', { token: await login('clerk-a') })).status).toBe(403);
      const member = await loginMember(t, 'alice');
      expect((await t.request('GET', '/api/v1/admin/stores', { token: member.token })).status).toBe(403);
      expect((await t.request('GET', '/api/v1/admin/stores')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
