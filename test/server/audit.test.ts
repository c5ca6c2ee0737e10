import { API_ROUTES } from '@jifen/shared';
import { DashboardService } from '../../server/src/services/dashboard/dashboard.service';
import { DASHBOARD_CARDS } from '../../server/src/services/dashboard/cards';
import { StaffEntity } from '../../server/src/db/entities';
import { addStoresAndStaff, countRows, staffToken, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

/** The audit trail (issue 9 item 7): failed logins, filters, paging, read only; and the admin dashboard. */
const API = '/api/v1';

describe('audit trail', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' }); // 12:00 in Shanghai
    await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
  });
  afterEach(() => t.close());

  const audit = (query = '') => t.request('GET', `${API}/admin/audit${query}`, { token: admin });
  const login = (username: string, password: string) => t.request('POST', `${API}/auth/staff`, { body: { username, password } });

  test('a failed staff login leaves a row: the username tried, no role, address and request id; throttled attempts do not', async () => {
    const res = await login('Clerk-A', 'wrong-password');
    expect(res.status).toBe(401);
    const unknown = await login('nobody\u202E', 'x');
    expect(unknown.status).toBe(401);
    const { entries } = (await audit('?action=staff.login_failed')).body;
    expect(entries).toHaveLength(2);
    const clerkId = (await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { username: 'clerk-a' } })).id;
    expect(entries[1]).toMatchObject({
      action: 'staff.login_failed',
      actor: { id: null, username: 'clerk-a', role: null },
      target: { type: 'staff', id: String(clerkId) },
      before: null,
      after: { result: 'BAD_CREDENTIALS', accountDisabled: false },
      at: '2026-06-15T04:00:00.000Z',
      requestId: res.headers.get('x-request-id'),
    });
    expect(entries[1].ip).toMatch(/127\.0\.0\.1/);
    expect(entries[0]).toMatchObject({ actor: { username: 'nobody' }, target: null });
    // A good login writes nothing; past the limit the throttle answers 429 without a row (unbounded under attack).
    const rows = await countRows(t, 'audit_log');
    expect((await login('clerk-b', TEST_PASSWORD)).status).toBe(200);
    expect(await countRows(t, 'audit_log')).toBe(rows);
    for (let i = 0; i < 4; i++) expect((await login('clerk-a', `wrong-${i}`)).status).toBe(401);
    expect(await countRows(t, 'audit_log')).toBe(rows + 4);
    expect((await login('clerk-a', 'wrong-again')).status).toBe(429);
    expect(await countRows(t, 'audit_log')).toBe(rows + 4);
    // Bad input is 400 before any check: nothing written.
    expect((await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-a' } })).status).toBe(400);
    expect(await countRows(t, 'audit_log')).toBe(rows + 4);
  });

  test('filters by actor, target, action and local days; pages newest first without gaps or repeats', async () => {
    // Day 1 (15 June, Shanghai): admin creates two stores; 23:59 a failed login. Day 2: admin closes one.
    const s1 = (await t.request('POST', `${API}/admin/stores`, { token: admin, body: { code: 'C', name: '望京店' } })).body.store;
    t.clock.advance(60_000);
    const s2 = (await t.request('POST', `${API}/admin/stores`, { token: admin, body: { code: 'D', name: '五道口店' } })).body.store;
    t.clock.set('2026-06-15T15:59:00Z'); // 23:59 Shanghai
    await login('ghost', 'x');
    t.clock.set('2026-06-15T16:00:00Z'); // 00:00 on 16 June in Shanghai
    admin = await staffToken(t, 'admin'); // the first token's 8 hours are over
    await t.request('PATCH', `${API}/admin/stores/${s1.id}`, { token: admin, body: { closed: true } });

    const actions = async (q: string) => {
      const res = await audit(q);
      expect(res.status).toBe(200);
      return res.body.entries.map((e: any) => e.action);
    };
    expect(await actions('')).toEqual(['store.close', 'staff.login_failed', 'store.create', 'store.create']);
    expect(await actions('?actor=admin')).toEqual(['store.close', 'store.create', 'store.create']);
    expect(await actions('?actor=GHOST')).toEqual(['staff.login_failed']);
    expect(await actions('?target=store')).toEqual(['store.close', 'store.create', 'store.create']);
    expect(await actions(`?target=store:${s2.id}`)).toEqual(['store.create']);
    expect(await actions(`?target=store:${s1.id}&action=store.close`)).toEqual(['store.close']);
    expect(await actions('?from=2026-06-15&to=2026-06-15')).toEqual(['staff.login_failed', 'store.create', 'store.create']);
    expect(await actions('?from=2026-06-16')).toEqual(['store.close']);
    expect(await actions('?to=2026-06-14')).toEqual([]);
    expect(await actions('?from=2026-06-15T04:00:30Z&to=2026-06-15T15:59:00Z')).toEqual(['staff.login_failed', 'store.create']);
    expect(await actions('?actor=admin&from=2026-06-16')).toEqual(['store.close']);

    // Pages of 1: every entry once, newest first, then no cursor.
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: any = (await audit(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body;
      seen.push(...page.entries.map((e: any) => e.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(4);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(4);
    const two = (await audit('?limit=2')).body;
    expect(two.entries).toHaveLength(2);
    expect(two.nextCursor).toBe(String(two.entries[1].id));
  });

  test('bad filters are 400; nothing can edit or delete the trail through the API', async () => {
    for (const q of ['?limit=0', '?limit=101', '?from=2026-02-30', '?from=yesterday', '?to=2026-06-15T10:00', '?target=Store!', '?action=drop', '?cursor=-1', '?colour=red', '?actor=a&actor=b']) {
      const res = await audit(q);
      expect([q, res.status, res.body.error.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    await login('ghost', 'x');
    const rows = await countRows(t, 'audit_log');
    const id = (await audit()).body.entries[0].id;
    for (const [method, path] of [
      ['PUT', '/admin/audit'],
      ['PATCH', '/admin/audit'],
      ['DELETE', '/admin/audit'],
      ['POST', '/admin/audit'],
      ['GET', `/admin/audit/${id}`],
      ['PUT', `/admin/audit/${id}`],
      ['PATCH', `/admin/audit/${id}`],
      ['DELETE', `/admin/audit/${id}`],
    ] as const) {
      const res = await t.request(method, `${API}${path}`, { token: admin, body: method === 'GET' ? undefined : { action: 'x' } });
      expect([method, path, [404, 405].includes(res.status)]).toEqual([method, path, true]);
    }
    expect(await countRows(t, 'audit_log')).toBe(rows);
    // The route table (the one role matrix) has nothing but the read.
    expect(API_ROUTES.filter((r) => r.path.startsWith('/admin/audit')).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /admin/audit']);
    for (const user of ['clerk-a', 'marketing', 'service']) {
      expect((await t.request('GET', `${API}/admin/audit`, { token: await staffToken(t, user) })).status).toBe(403);
    }
  });
});

describe('admin dashboard', () => {
  let t: TestApp;
  let admin: string;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
  });
  afterEach(() => t.close());

  const cards = async () => {
    const res = await t.request('GET', `${API}/admin/dashboard`, { token: admin });
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.cards.map((c: any) => [c.key, c]));
  };

  test('counts staff, disabled accounts, stores, audit events and failed logins of the local day, each with its link', async () => {
    await t.request('POST', `${API}/auth/staff`, { body: { username: 'clerk-a', password: 'wrong' } }); // yesterday's in a moment
    t.clock.set('2026-06-15T16:30:00Z'); // 00:30 on 16 June, Shanghai
    const admin2 = await staffToken(t, 'admin');
    const clerkB = (await t.ds.getRepository(StaffEntity).findOneOrFail({ where: { username: 'clerk-b' } })).id;
    await t.request('PATCH', `${API}/admin/staff/${clerkB}`, { token: admin2, body: { disabled: true } });
    await t.request('POST', `${API}/admin/stores`, { token: admin2, body: { code: 'C', name: '望京店' } });
    const stores = (await t.request('GET', `${API}/admin/stores`, { token: admin2 })).body.stores;
    await t.request('PATCH', `${API}/admin/stores/${stores[0].id}`, { token: admin2, body: { closed: true } });
    await t.request('POST', `${API}/auth/staff`, { body: { username: 'ghost', password: 'x' } });
    await t.request('POST', `${API}/auth/staff`, { body: { username: 'ghost', password: 'y' } });

    admin = admin2;
    const c = await cards();
    expect(c.staff).toMatchObject({ value: 4, hint: '店员 1 · 运营 1 · 客服 1 · 管理员 1', link: { page: 'accounts' } });
    expect(c['staff-disabled']).toMatchObject({ value: 1, link: { page: 'accounts', query: { status: 'disabled' } } });
    expect(c.stores).toMatchObject({ value: 2, hint: '另有 1 家已关闭', link: { page: 'stores' } });
    expect(c['audit-today']).toMatchObject({ value: 5, link: { page: 'audit', query: { from: '2026-06-16' } } });
    expect(c['failed-logins-today']).toMatchObject({ value: 2, tone: 'attention', link: { page: 'audit', query: { action: 'staff.login_failed', from: '2026-06-16' } } });
    for (const user of ['clerk-a', 'service']) {
      expect((await t.request('GET', `${API}/admin/dashboard`, { token: await staffToken(t, user) })).status).toBe(403);
    }
    // Marketing lands on its own cards: the rewards ones, none of the staff, stores or audit cards.
    const mk = await t.request('GET', `${API}/admin/dashboard`, { token: await staffToken(t, 'marketing') });
    expect(mk.status).toBe(200);
    expect(mk.body.cards.map((x: { key: string }) => x.key)).toEqual(['rewards-pricing', 'rewards-low-stock', 'rewards-ending']);
  });

  test('a card that fails shows as unavailable and the others still show', async () => {
    const broken = { key: 'broken', title: '坏掉的卡片', compute: async () => Promise.reject(new Error('boom')) };
    const failed: string[] = [];
    const out = await new DashboardService(t.services.tx, 'Asia/Shanghai', t.clock, [broken, ...DASHBOARD_CARDS]).cardsNow('admin', (key) => failed.push(key));
    expect(failed).toEqual(['broken']);
    expect(out.cards[0]).toMatchObject({ key: 'broken', value: null, link: null });
    expect(out.cards.slice(1).every((c) => c.value !== null)).toBe(true);
  });
});
