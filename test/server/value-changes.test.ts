import { ValueChangesService } from '../../server/src/services/value-changes.service';
import { addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

const DAY = 86_400_000;

/** Rules versions and value changes with 30 days' notice and compensation (issue 10 items a and 5), over HTTP with the injected clock. */
describe('value changes', () => {
  let t: TestApp;
  let mk: string;
  let clerk: string;
  const members: { token: string; id: number }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-02T04:00:00Z' });
    await addStoresAndStaff(t);
    mk = await staffToken(t, 'marketing');
    clerk = await staffToken(t, 'clerk-a');
    for (const [name, points] of [['vc-a', 1000], ['vc-b', 333], ['vc-c', 0]] as const) {
      const m = await loginMember(t, name);
      members.push(m);
      if (points > 0) await grantPoints(t, m.id, points);
    }
  });
  afterAll(() => t.close());

  const body = (effectiveAt: Date, extra: Record<string, unknown> = {}) => ({
    title: '积分价值调整',
    reason: '礼品成本上涨',
    effectiveAt: effectiveAt.toISOString(),
    rules: { anchor: { points: 100, fen: 90 } },
    compensation: { mode: 'restore' },
    ...extra,
  });

  test('every ledger entry records the rules version it was computed under; GET /rules names the version in force', async () => {
    const rows = await t.ds.query('SELECT rules_version FROM ledger_entry');
    expect(rows.length).toBe(2);
    const rules = await t.request('GET', '/api/v1/rules');
    expect(rules.body.version).toBeGreaterThan(0);
    for (const r of rows) expect(Number(r.rules_version)).toBe(rules.body.version);
    const ledger = await t.request('GET', '/api/v1/me/ledger', { token: members[0]!.token });
    expect(ledger.body.entries[0].rulesVersion).toBe(rules.body.version);
  });

  test('simulate answers from the real balances without writing; a bad rule key is 400', async () => {
    const before = await countRows(t, 'notification');
    const sim = await t.request('POST', '/api/v1/admin/value-changes/simulate', { token: mk, body: body(new Date(t.clock().getTime() + 30 * DAY)) });
    expect(sim.status).toBe(200);
    // 1000 -> ceil(1000 x 100/90) = 1112 (+112); 333 -> 370 exactly (+37); worth 13.33 yuan before, floor(1482 x 0.9) = 1333 fen after.
    expect(sim.body).toEqual({ membersAffected: 2, compensationPoints: 149, compensationFen: 134, liabilityFenBefore: 1333, liabilityFenAfter: 1333, changes: ['积分价值:100 积分 = ¥1.00 → 100 积分 = ¥0.90'] });
    expect(await countRows(t, 'notification')).toBe(before);
    expect(await countRows(t, 'value_change')).toBe(0);
    const bad = await t.request('POST', '/api/v1/admin/value-changes/simulate', { token: mk, body: body(new Date(), { rules: { timezone: 'UTC' } }) });
    expect(bad.status).toBe(400);
    const clerkTry = await t.request('POST', '/api/v1/admin/value-changes/simulate', { token: clerk, body: body(new Date()) });
    expect(clerkTry.status).toBe(403);
  });

  test('29 days ahead is 409 NOTICE_TOO_SHORT and writes nothing; 30 days is published and every member is told', async () => {
    const notes = await countRows(t, 'notification');
    const short = await t.request('POST', '/api/v1/admin/value-changes', { token: mk, body: body(new Date(t.clock().getTime() + 29 * DAY + 23 * 3600_000)) });
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('NOTICE_TOO_SHORT');
    expect(await countRows(t, 'value_change')).toBe(0);
    expect(await countRows(t, 'notification')).toBe(notes);

    const ok = await t.request('POST', '/api/v1/admin/value-changes', { token: mk, body: body(new Date(t.clock().getTime() + 30 * DAY)) });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'scheduled', simulation: { compensationPoints: 149 }, changes: ['积分价值:100 积分 = ¥1.00 → 100 积分 = ¥0.90'] });
    expect(await countRows(t, 'notification')).toBe(notes + 3);
    const inbox = await t.request('GET', '/api/v1/me/notifications', { token: members[2]!.token });
    expect(inbox.body.notifications[0]).toMatchObject({ kind: 'VALUE_CHANGE', title: '规则变更预告:积分价值调整' });
    expect(inbox.body.notifications[0].body).toContain('2027年1月1日起生效');

    const mine = await t.request('GET', '/api/v1/me/value-changes', { token: members[0]!.token });
    expect(mine.status).toBe(200);
    expect(mine.body.upcoming).toHaveLength(1);
    expect(mine.body.upcoming[0]).toMatchObject({ title: '积分价值调整', balanceWorthFenNow: 1000, compensationPointsEstimate: 112, balanceWorthFenAfter: 1000 });
    const audit = await t.ds.query("SELECT action FROM audit_log WHERE action = 'value_change.publish'");
    expect(audit).toHaveLength(1);
  });

  test('at effectiveAt the job switches the rules and pays exactly the simulated compensation, in batches, once', async () => {
    // Nothing before the date.
    expect((await t.services.valueChanges.applyDue()).changesApplied).toBe(0);
    t.clock.advance(30 * DAY);
    const saved = ValueChangesService.MEMBERS_PER_BATCH_MAX;
    (ValueChangesService as unknown as { MEMBERS_PER_BATCH_MAX: number }).MEMBERS_PER_BATCH_MAX = 1;
    try {
      // A run stopped after one batch: one member paid, the rules already switched; the next run resumes.
      const first = await t.services.valueChanges.applyDue({ batchesMax: 1 });
      expect(first).toEqual({ changesApplied: 0, membersCompensated: 1, compensationPoints: 112 });
      const rest = await t.services.valueChanges.applyDue();
      expect(rest).toEqual({ changesApplied: 1, membersCompensated: 1, compensationPoints: 37 });
      expect(await t.services.valueChanges.applyDue()).toEqual({ changesApplied: 0, membersCompensated: 0, compensationPoints: 0 });
    } finally {
      (ValueChangesService as unknown as { MEMBERS_PER_BATCH_MAX: number }).MEMBERS_PER_BATCH_MAX = saved;
    }
    mk = await staffToken(t, 'marketing'); // a staff session does not last a month
    const list = await t.request('GET', '/api/v1/admin/value-changes', { token: mk });
    expect(list.body.items[0]).toMatchObject({ status: 'applied', membersCompensated: 2, compensationPoints: 149, simulation: { compensationPoints: 149 } });
    const comp = await t.ds.query("SELECT member_id, delta, rules_version FROM ledger_entry WHERE code = 'COMPENSATION' ORDER BY member_id");
    expect(comp.map((c: any) => Number(c.delta))).toEqual([112, 37]);
    const rules = await t.request('GET', '/api/v1/rules');
    expect(rules.body.rules.anchor).toEqual({ points: 100, fen: 90 });
    expect(Number(comp[0].rules_version)).toBe(rules.body.version);
    expect(list.body.items[0].rulesVersion).toBe(rules.body.version);
    members[0] = await loginMember(t, 'vc-a'); // so does a member's
    const me = await t.request('GET', '/api/v1/me', { token: members[0]!.token });
    expect(me.body).toMatchObject({ balance: 1112, worthFen: 1000 });
    const hist = await t.request('GET', '/api/v1/me/value-changes', { token: members[0]!.token });
    expect(hist.body.upcoming).toHaveLength(0);
    expect(hist.body.history[0]).toMatchObject({ status: 'applied', compensationPointsReceived: 112 });
    expect(await t.verify()).toEqual([]);
  });

  test('percent compensation rounds up per member', async () => {
    const ok = await t.request('POST', '/api/v1/admin/value-changes', {
      token: mk,
      body: body(new Date(t.clock().getTime() + 31 * DAY), { rules: { purchase: { pointsPerYuan: 2 } }, compensation: { mode: 'percent', percent: 10 } }),
    });
    expect(ok.status).toBe(201);
    // 1112 -> 111.2 -> 112; 370 -> 37.
    expect(ok.body.simulation).toMatchObject({ compensationPoints: 149, changes: ['消费积分:每元 1 分 → 每元 2 分'] });
    t.clock.advance(31 * DAY);
    expect(await t.services.valueChanges.applyDue()).toEqual({ changesApplied: 1, membersCompensated: 2, compensationPoints: 149 });
    const rules = await t.request('GET', '/api/v1/rules');
    expect(rules.body.rules).toMatchObject({ anchor: { fen: 90 }, purchase: { pointsPerYuan: 2 } });
    expect(await t.verify()).toEqual([]);
  });
});
