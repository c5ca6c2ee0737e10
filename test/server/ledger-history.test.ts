import { ledgerKindOf, type LedgerEntryDto } from '@jifen/shared';
import { DEMO_MEMBERS, seedDemo } from '../../server/src/seed/demo-seed';
import { addReward, grantPoints, loginMember, startTestApp, type TestApp } from './helpers';

// Issue 13.3: the demo history is written in time order through the ledger service, so 明细 reads newest
// first with each balanceAfter following from the entry below it; and /me/ledger filters by kind.

/** The whole demo seed on MariaDB under a loaded 2-core machine takes most of a minute: a generous limit. */
const SEED_TEST_TIMEOUT_MS = 240_000;

async function allPages(t: TestApp, token: string, kind?: string): Promise<LedgerEntryDto[]> {
  const out: LedgerEntryDto[] = [];
  let cursor: number | null = null;
  for (let i = 0; i < 100; i++) {
    const q = [`limit=20`, cursor ? `cursor=${cursor}` : '', kind ? `kind=${kind}` : ''].filter(Boolean).join('&');
    const res = await t.request('GET', `/api/v1/me/ledger?${q}`, { token });
    expect(res.status).toBe(200);
    out.push(...res.body.entries);
    cursor = res.body.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('too many pages');
}

describe('demo history in time order (issue 13.3)', () => {
  test('every demo member: newest first by time, each balanceAfter = the one below + delta, the oldest from zero', async () => {
    const at = '2026-12-02T04:00:00Z';
    const t = await startTestApp({ now: at });
    try {
      await seedDemo(t.ds, t.config, new Date(at));
      for (const name of DEMO_MEMBERS) {
        const login = await t.request('POST', '/api/v1/auth/wechat', { body: { code: `dev:${name}` } });
        const entries = await allPages(t, login.body.token);
        expect(entries.length).toBeGreaterThan(0);
        for (let i = 0; i + 1 < entries.length; i++) {
          const [above, below] = [entries[i]!, entries[i + 1]!];
          const where = `${name}: entry ${above.id} (${above.createdAt}) above ${below.id} (${below.createdAt})`;
          // On main alice's seeded redemption (29 Nov, balance 1,051) sat above her 1 Dec check-in (1,081).
          expect([where, Date.parse(above.createdAt) >= Date.parse(below.createdAt)]).toEqual([where, true]);
          expect([where, above.balanceAfter]).toEqual([where, below.balanceAfter + above.delta]);
        }
        const oldest = entries[entries.length - 1]!;
        expect(oldest.balanceAfter).toBe(oldest.delta);
        const me = await t.request('GET', '/api/v1/me', { token: login.body.token });
        expect(entries[0]!.balanceAfter).toBe(me.body.balance);
      }
      expect(await t.verify()).toEqual([]);
    } finally {
      await t.close();
    }
  }, SEED_TEST_TIMEOUT_MS);
});

describe('GET /me/ledger?kind= (全部 / 获得 / 使用 / 过期)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
  });
  afterEach(() => t.close());

  test('each kind is one part of the whole, paged by the same cursor; a bad kind is 400', async () => {
    const m = await loginMember(t, 'kinds');
    const day = 86_400_000;
    for (let i = 0; i < 25; i++) {
      t.clock.advance(60_000);
      await grantPoints(t, m.id, 10);
    }
    const reward = await addReward(t, { pointsPrice: 20, stock: 10 });
    for (let i = 0; i < 3; i++) {
      const r = await t.request('POST', '/api/v1/me/redemptions', { token: m.token, body: { rewardId: reward.id }, headers: { 'Idempotency-Key': `kinds-redeem-000${i}` } });
      expect(r.status).toBe(201);
    }
    const cancelled = await t.request('GET', '/api/v1/me/redemptions', { token: m.token });
    expect((await t.request('POST', `/api/v1/me/redemptions/${cancelled.body.redemptions[0].id}/cancel`, { token: m.token })).status).toBe(200);
    await grantPoints(t, m.id, 5, { expiresAt: t.clock().getTime() + day }); // will expire
    t.clock.advance(2 * day);
    await t.services.expiry.run({ actor: 'test' });

    const all = await allPages(t, m.token);
    const byDefault = await allPages(t, m.token, 'all');
    expect(byDefault).toEqual(all);
    expect(all).toHaveLength(1 + 25 + 3 + 1 + 1);
    const earn = await allPages(t, m.token, 'earn');
    const spend = await allPages(t, m.token, 'spend');
    const expire = await allPages(t, m.token, 'expire');
    expect(earn.map((e) => e.code).sort()).toEqual([...Array(26).fill('ADJUST'), 'REDEEM_CANCEL'].sort());
    expect(spend.map((e) => [e.code, e.delta])).toEqual([['REDEEM', -20], ['REDEEM', -20], ['REDEEM', -20]]);
    expect(expire.map((e) => [e.code, e.delta])).toEqual([['EXPIRE', -5]]);
    for (const [kind, list] of [['earn', earn], ['spend', spend], ['expire', expire]] as const) {
      for (const e of list) expect([e.id, ledgerKindOf(e)]).toEqual([e.id, kind]);
    }
    // Together they are the whole, each newest first.
    expect([...earn, ...spend, ...expire].map((e) => e.id).sort((a, b) => b - a)).toEqual(all.map((e) => e.id));
    // The first page of 获得 is full and its cursor leads on to the rest.
    const first = await t.request('GET', '/api/v1/me/ledger?kind=earn&limit=20', { token: m.token });
    expect(first.body.entries).toHaveLength(20);
    expect(first.body.nextCursor).toBe(first.body.entries[19].id);
    const bad = await t.request('GET', '/api/v1/me/ledger?kind=bonus', { token: m.token });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
