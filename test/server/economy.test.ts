import { grantPoints, loginMember, postPurchase, staffToken, startClerkApp, type TestApp } from './helpers';

/** The yearly quantity plan's cap and the inflation guard (issue 10.3, 10.4), over HTTP with the injected clock. */
jest.setTimeout(60_000);

let orderSeq = 0;
const order = () => `ECO-${++orderSeq}`;

async function debit(t: TestApp, memberId: number, points: number): Promise<void> {
  await t.services.tx.run(async (m) => {
    const account = await t.services.ledger.lockAccount(m, memberId);
    await t.services.ledger.debit(m, account, points, { code: 'ADJUST', reason: '测试扣减', actor: 'test' });
  });
}

/** One app for a describe block: stores and staff, marketing's and clerk-a's tokens. */
async function startEconomyApp(): Promise<{ t: TestApp; mk: string; clerk: string }> {
  const { t, clerk } = await startClerkApp({});
  return { t, clerk, mk: await staffToken(t, 'marketing') };
}

describe('yearly plan: the issuance cap stops campaign and task bonuses, never base points', () => {
  let t: TestApp;
  let mk: string;
  let clerk: string;
  beforeAll(async () => ({ t, mk, clerk } = await startEconomyApp()));
  afterAll(() => t.close());

  test('plan, gauges, cap reached by the job, the breakdown says why', async () => {
    const c = await t.request('POST', '/api/v1/admin/campaigns', {
      token: mk,
      body: { name: '双倍积分', multiplier: 2, startsAt: '2026-06-15T08:00', endsAt: '2026-06-15T22:00', tiers: [], storeIds: [], channels: ['purchase'], stacksWithTier: false, budgetPoints: 1_000_000 },
    });
    expect(c.status).toBe(201);
    const empty = await t.request('GET', '/api/v1/admin/economics/plan', { token: mk });
    expect(empty.body.plan).toMatchObject({ year: 2026, saved: false, issuanceCapBp: 500, redemptionBudgetBp: 2000 });
    const saved = await t.request('PUT', '/api/v1/admin/economics/plan/2026', { token: mk, body: { expectedSalesFen: 100_000, issuanceCapBp: 500, redemptionBudgetBp: 2000, rewardCostBudgetFen: 1000 } });
    expect(saved.status).toBe(200);
    expect(saved.body.progress.issuance).toMatchObject({ actual: 0, planned: 5000 });

    const m = await loginMember(t, 'cap-a');
    const first = await postPurchase(t, clerk, m, order(), 100_000); // 1000 + 1000 campaign
    expect(first.pointsAwarded).toBe(2000);
    expect((await t.services.economyJob.tick()).cap).toBe('unchanged');
    const second = await postPurchase(t, clerk, m, order(), 200_000); // 2000 + 2000: issued 6000 fen >= cap 5000
    expect(second.pointsAwarded).toBe(4000);
    expect((await t.services.economyJob.tick()).cap).toBe('reached');
    expect((await t.services.economyJob.tick()).cap).toBe('unchanged');

    const plan = await t.request('GET', '/api/v1/admin/economics/plan?year=2026', { token: mk });
    expect(plan.body.progress).toMatchObject({ bonusesStopped: true, issuance: { actual: 6000, planned: 5000, usedBp: 12000, points: 6000 }, sales: { actual: 300_000, planned: 100_000 } });
    expect(plan.body.progress.note).toContain('消费基础积分照常发放');

    const b = await loginMember(t, 'cap-b'); // bronze: no tier bonus in the way
    const third = await postPurchase(t, clerk, b, order(), 10_000);
    expect(third.pointsAwarded).toBe(100);
    expect(third.breakdown).toEqual([
      { kind: 'BASE', label: '消费 1 分/元', points: 100 },
      { kind: 'PLAN_CAP', label: '年度积分发行已达上限,活动加赠暂停', points: 0 },
    ]);
    const share = await t.request('POST', '/api/v1/me/tasks/share', { token: b.token, body: {} });
    expect(share.status).toBe(201);
    expect(share.body).toMatchObject({ points: 0, breakdown: [{ kind: 'PLAN_CAP', points: 0 }] });
    const versions = await t.request('GET', '/api/v1/admin/economics/versions', { token: mk });
    expect(versions.body.items[0]).toMatchObject({ kind: 'CAP_REACHED', bonusesStopped: true });

    // A larger plan lifts the cap at once.
    const raised = await t.request('PUT', '/api/v1/admin/economics/plan/2026', { token: mk, body: { expectedSalesFen: 1_000_000, issuanceCapBp: 500, redemptionBudgetBp: 2000, rewardCostBudgetFen: 1000 } });
    expect(raised.body.progress.bonusesStopped).toBe(false);
    const fourth = await postPurchase(t, clerk, b, order(), 10_000);
    expect(fourth.pointsAwarded).toBe(200);
    expect(await t.verify()).toEqual([]);
  });
});

describe('inflation guard with hysteresis', () => {
  let t: TestApp;
  let mk: string;
  let clerk: string;
  beforeAll(async () => ({ t, mk, clerk } = await startEconomyApp()));
  afterAll(() => t.close());

  test('engages above the line, the next purchase shows 积分调控 ×0.8, releases only below the lower line', async () => {
    const m = await loginMember(t, 'guard-a');
    await postPurchase(t, clerk, m, order(), 100_000); // sales 1000 yuan; lines 5 % = 5000 fen, 4 % = 4000 fen
    await grantPoints(t, m.id, 4000); // outstanding 5000 fen: at the line, not above
    expect((await t.services.economyJob.tick()).guard).toBe('unchanged');
    await grantPoints(t, m.id, 1);
    expect((await t.services.economyJob.tick()).guard).toBe('engaged');
    const g = await t.request('GET', '/api/v1/admin/economics/guard', { token: mk });
    expect(g.body).toMatchObject({ engaged: true, factorPct: 80, outstandingFen: 5001, trailingSalesFen: 100_000, engageAboveFen: 5000, releaseBelowFen: 4000 });
    expect(g.body.history).toHaveLength(1);
    const note = await t.request('GET', '/api/v1/me/notifications', { token: m.token });
    expect(note.body.notifications[0]).toMatchObject({ kind: 'INFLATION_GUARD', title: '积分调控启动' });
    expect(note.body.notifications[0].body).toContain('已获得的积分价值不变');

    const n = await loginMember(t, 'guard-b'); // bronze: the base alone
    const before = await t.request('GET', '/api/v1/me', { token: m.token });
    const p = await postPurchase(t, clerk, n, order(), 10_000);
    expect(p.pointsAwarded).toBe(80);
    expect(p.breakdown).toEqual([
      { kind: 'BASE', label: '消费 1 分/元', points: 100 },
      { kind: 'GUARD', label: '积分调控 ×0.8', points: -20 },
    ]);
    // Points already earned keep their worth.
    const after = await t.request('GET', '/api/v1/me', { token: m.token });
    expect(after.body.worthFen).toBe(before.body.worthFen);
    expect(after.body.balance).toBe(5001);
    const [entry] = await t.ds.query("SELECT rules_version FROM ledger_entry WHERE code = 'EARN_PURCHASE' ORDER BY id DESC LIMIT 1");
    const versions = await t.request('GET', '/api/v1/admin/economics/versions', { token: mk });
    expect(versions.body.items[0]).toMatchObject({ kind: 'GUARD_ENGAGE', guardFactorPct: 80 });
    expect(Number(entry.rules_version)).toBe(versions.body.items[0].id);

    // Sales 1100 yuan: lines 5500 / 4400 fen. Outstanding 5081 -> 4500: between the lines, still engaged.
    await debit(t, m.id, 581);
    expect((await t.services.economyJob.tick()).guard).toBe('unchanged');
    await debit(t, m.id, 101); // 4399 < 4400
    expect((await t.services.economyJob.tick()).guard).toBe('released');
    const released = await postPurchase(t, clerk, n, order(), 10_000);
    expect(released.pointsAwarded).toBe(100);
    const hist = await t.request('GET', '/api/v1/admin/economics/guard', { token: mk });
    expect(hist.body).toMatchObject({ engaged: false, factorPct: 100 });
    expect(hist.body.history.map((h: any) => h.kind)).toEqual(['GUARD_RELEASE', 'GUARD_ENGAGE']);
    expect(await t.verify()).toEqual([]);
  });
});
