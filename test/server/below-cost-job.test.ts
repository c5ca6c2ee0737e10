import { addStoresAndStaff, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Below-cost retirement by the economics job (issue 10.2), over HTTP with the injected clock: on the day a price
 * step makes a reward worth less than its cost, the job retires it with one audit row (whether or not a member
 * opened the shelf), marketing's 概览 lists it with a link to the reward, and a second run writes nothing.
 */
jest.setTimeout(60_000);

describe('economics job: rewards whose price in force falls below cost are retired on the step\'s day', () => {
  let t: TestApp;
  let mk: string;
  beforeAll(async () => {
    t = await startTestApp(); // 2026-06-15 12:00 Shanghai
    await addStoresAndStaff(t);
    mk = await staffToken(t, 'marketing');
  });
  afterAll(() => t.close());

  const create = async (body: Record<string, unknown>): Promise<number> => {
    const r = await t.request('POST', '/api/v1/admin/rewards', { token: mk, body: { stock: 10, status: 'on_sale', ...body } });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    return r.body.reward.id;
  };
  const statusOf = async (id: number): Promise<string> => (await t.request('GET', `/api/v1/admin/rewards/${id}`, { token: mk })).body.reward.status;
  const audits = async (id?: number): Promise<{ actor_name: string; target_id: string }[]> =>
    t.ds.query(`SELECT actor_name, target_id FROM audit_log WHERE action = 'reward.retired_below_cost'${id === undefined ? '' : ` AND target_id = '${id}'`} ORDER BY id`);
  const card = async () => {
    const r = await t.request('GET', '/api/v1/admin/dashboard', { token: mk });
    expect(r.status).toBe(200);
    return r.body.cards.find((c: { key: string }) => c.key === 'rewards-pricing');
  };
  /** Jumps the clock; staff tokens are signed again (they last one shift). */
  const at = async (iso: string) => {
    t.clock.set(iso);
    mk = await staffToken(t, 'marketing');
  };

  test('the step applies on its date: the job retires, the card lists it, the second run writes nothing', async () => {
    const loss = await create({ title: '亏本券', faceValueFen: 1000, costFen: 600, pointsPrice: 1000, priceSchedule: [{ from: '2026-07-01T00:00', pointsPrice: 500 }], priceReason: '清仓' });
    const skim = await create({ title: '撇脂杯', faceValueFen: 1000, costFen: 300, pointsPrice: 1000, priceSchedule: [{ from: '2026-07-01T00:00', pointsPrice: 900 }] });
    const free = await create({ title: '免费样品', faceValueFen: 1000, costFen: 0, pointsPrice: 1000, priceSchedule: [{ from: '2026-07-01T00:00', pointsPrice: 100 }], priceReason: '试用' });

    // The day before (23:59 Shanghai): nothing is below cost yet.
    await at('2026-06-30T15:59:00Z');
    expect((await t.services.economyJob.tick()).retiredBelowCost).toBe(0);
    expect(await statusOf(loss)).toBe('on_sale');
    expect(await card()).toMatchObject({ value: 0, tone: 'normal', items: [] });

    // 2026-07-01 00:00 Shanghai: 500 points are worth ¥5, under the ¥6 cost. No member opens the shelf.
    await at('2026-06-30T16:00:00Z');
    expect((await t.services.economyJob.tick({ actor: 'test' })).retiredBelowCost).toBe(1);
    expect(await statusOf(loss)).toBe('retired');
    expect(await statusOf(skim)).toBe('on_sale'); // 900 points = ¥9, above the ¥3 cost
    expect(await statusOf(free)).toBe('on_sale'); // no cost, never below it
    expect(await audits()).toEqual([{ actor_name: 'system:pricing', target_id: String(loss) }]);
    const c = await card();
    expect(c).toMatchObject({ title: '商品定价提醒', value: 1, tone: 'attention', hint: '1 件低于成本已下架', link: { page: 'economics' } });
    expect(c.items).toEqual([{ text: '亏本券', note: '7月1日 低于成本自动下架', link: { page: 'reward-edit', query: { id: String(loss) } } }]);

    // A second run, and a shelf read, write nothing more.
    expect((await t.services.economyJob.tick()).retiredBelowCost).toBe(0);
    const shelf = await t.request('GET', '/api/v1/rewards', { token: (await loginMember(t, 'below-cost-job')).token });
    expect(shelf.body.rewards.map((r: { id: number }) => r.id)).not.toContain(loss);
    expect(await audits()).toHaveLength(1);
    // The finance report names the same retirement.
    const fin = await t.request('GET', '/api/v1/admin/reports/finance', { token: mk });
    expect(fin.body.retiredBelowCost).toEqual([expect.objectContaining({ id: loss, title: '亏本券' })]);

    // Marketing re-prices and puts it back on sale: the notice is done, the card no longer lists it.
    const back = await t.request('PATCH', `/api/v1/admin/rewards/${loss}`, { token: mk, body: { priceSchedule: [], status: 'on_sale' } });
    expect(back.status).toBe(200);
    expect(await card()).toMatchObject({ value: 0, items: [] });
    expect((await t.services.economyJob.tick()).retiredBelowCost).toBe(0);
  });

  test('the shelf read and the job racing on one reward write one audit row between them', async () => {
    const race = await create({ title: '竞速', faceValueFen: 1000, costFen: 700, pointsPrice: 1000, priceSchedule: [{ from: '2026-07-02T00:00', pointsPrice: 600 }], priceReason: '清仓' });
    const member = await loginMember(t, 'below-cost-race');
    await at('2026-07-01T16:00:00Z'); // 2026-07-02 00:00 Shanghai
    member.token = (await loginMember(t, 'below-cost-race')).token;
    const [job, shelf] = await Promise.all([t.services.economyJob.tick(), t.request('GET', '/api/v1/rewards', { token: member.token })]);
    expect(shelf.status).toBe(200);
    expect(shelf.body.rewards.map((r: { id: number }) => r.id)).not.toContain(race);
    expect(job.retiredBelowCost).toBeLessThanOrEqual(1);
    expect(await audits(race)).toHaveLength(1);
    expect(await statusOf(race)).toBe('retired');
  });

  test('after six months unchanged a reward is listed as due for a refresh; a retirement leaves the card after 30 days', async () => {
    await at('2027-01-05T04:00:00Z');
    const c = await card();
    const titles = c.items.map((i: { text: string }) => i.text);
    expect(titles).toEqual(expect.arrayContaining(['撇脂杯', '免费样品']));
    expect(titles).not.toContain('竞速'); // retired on 2 July: off the card after 30 days (the finance report keeps it)
    const skim = c.items.find((i: { text: string }) => i.text === '撇脂杯');
    expect(skim.note).toBe('2026年6月15日起未更新,该换新了');
    expect(skim.link.page).toBe('reward-edit');
    expect(c.hint).toMatch(/^\d+ 件半年未更新$/);
    expect(c.tone).toBe('normal');
  });
});
