import { API_ROUTES, STAFF_ROLES, accessAllows, routeKey, type RouteSpec, type StaffRole } from '@jifen/shared';
import { routers } from '../../server/src/app';
import { addStoresAndStaff, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * The one role matrix (shared/src/api) against the real app: every route is described, every described
 * route is mounted, and every route answers each caller as its access says: 401 without a token, 403 for a
 * caller outside its access, something else (the route's own answer) for one inside it.
 */
// Ids name no row: a write the matrix lets through (an admin's password reset of staff 1, say) must change
// nothing that later checks rely on, such as the clerk token's session.
const SAMPLE_PARAMS: Record<string, string> = { id: '999999', orderNo: 'NO-SUCH-ORDER', pickupCode: 'ABCDEFGHJK', file: '1.svg' };

function samplePath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? '1');
}

describe('role matrix', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let keys = 0;
  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
    tokens.member = (await loginMember(t, 'matrix')).token;
    for (const [role, user] of [['clerk', 'clerk-a'], ['marketing', 'marketing'], ['service', 'service'], ['admin', 'admin']] as const) {
      tokens[role] = await staffToken(t, user);
    }
  });
  afterAll(() => t.close());

  test('every mounted route is in the shared table and every table entry is mounted', () => {
    const mounted = new Set<string>();
    for (const r of routers(t.services)) {
      for (const layer of r.stack) for (const m of layer.methods) if (m !== 'HEAD') mounted.add(`${m} ${layer.path}`);
    }
    const described = new Set(API_ROUTES.map(routeKey));
    expect([...mounted].filter((k) => !described.has(k))).toEqual([]);
    expect([...described].filter((k) => !mounted.has(k))).toEqual([]);
    expect(described.size).toBe(API_ROUTES.length); // no route described twice
  });

  const guarded = API_ROUTES.filter((r) => r.access !== 'public');
  const callers: ({ kind: 'member' } | { kind: 'staff'; role: StaffRole })[] = [{ kind: 'member' }, ...STAFF_ROLES.map((role) => ({ kind: 'staff' as const, role }))];

  test.each(guarded.map((r) => [routeKey(r), r] as [string, RouteSpec]))('%s: 401 without a token, 403 outside its access', async (_key, spec) => {
    const path = `/api/v1${samplePath(spec.path)}`;
    const anon = await t.request(spec.method, path, { body: spec.method === 'GET' ? undefined : {} });
    expect(anon.status).toBe(401);
    for (const caller of callers) {
      const token = tokens[caller.kind === 'member' ? 'member' : caller.role]!;
      const res = await t.request(spec.method, path, { token, body: spec.method === 'GET' ? undefined : {}, headers: { 'Idempotency-Key': `matrix-key-${++keys}` } });
      const who = caller.kind === 'member' ? 'member' : caller.role;
      if (accessAllows(spec.access, caller)) expect({ who, status: res.status }).not.toEqual({ who, status: 403 });
      else expect({ who, status: res.status, code: res.body?.error?.code }).toEqual({ who, status: 403, code: 'FORBIDDEN' });
      expect({ who, status: res.status }).not.toEqual({ who, status: 401 });
    }
  });
});
