import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { startTestApp, loginMember, grantPoints, addReward, snapshotCounts, countRows, DB_KIND, type TestApp, killGroups } from './helpers';
import { loadConfig } from '../../server/src/config';
import { manualClock } from '../../server/src/clock';
import { openDatabase } from '../../server/src/db/data-source';
import { createServices } from '../../server/src/services';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { RewardEntity } from '../../server/src/db/entities';
import { ExpiryService } from '../../server/src/services/expiry.service';

/**
 * Points expiry (config/rules.json: yearly clear-down, reminders 90 and 7 days ahead), pending lots,
 * the expiry job run by two instances at once (MySQL), and the operator CLIs (npm run verify / expire).
 * Shanghai new year 2028 = 2027-12-31T16:00:00Z.
 */
jest.setTimeout(90_000);

const NEW_YEAR_2028 = '2027-12-31T16:00:00.000Z';
const NEW_YEAR_2029 = '2028-12-31T16:00:00.000Z';
const ROOT = path.resolve(__dirname, '../..');

async function scalar(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await ds.query(sql, params);
  return Number(Object.values(rows[0] as Record<string, unknown>)[0] ?? 0);
}

function redeem(t: TestApp, token: string, rewardId: number, key: string) {
  return t.request('POST', '/api/v1/me/redemptions', { token, body: { rewardId, quantity: 1 }, headers: { 'Idempotency-Key': key } });
}

describe('expiry: yearly clear-down at Shanghai new year', () => {
  let t: TestApp;
  beforeEach(async () => {
    // Shelf prices stay put here: the 7-day reminder's discount has its own test (expiry-giveback.test.ts).
    t = await startTestApp({ now: '2026-03-01T04:00:00Z', rules: (r) => ({ ...r, expiryCoupon: { ...r.expiryCoupon, offerPct: 0 } }) });
  });
  afterEach(async () => {
    await t.close();
  });

  test('points earned in 2026 are spendable until 2027-12-31T15:59:59Z and expire at 16:00:00Z, once', async () => {
    const a = await loginMember(t, 'yearly');
    await grantPoints(t, a.id, 500);
    // Check-ins either side of the Shanghai new year 2027: the first is a 2026 point, the second a 2027 one.
    const tokenOf = async () => (await loginMember(t, 'yearly')).token; // tokens live 7 days; log in again as time moves
    t.clock.set('2026-12-31T15:59:59Z');
    expect((await t.request('POST', '/api/v1/me/checkins', { token: await tokenOf() })).status).toBe(201);
    t.clock.set('2026-12-31T16:00:00Z');
    expect((await t.request('POST', '/api/v1/me/checkins', { token: await tokenOf() })).status).toBe(201);
    const lots = await t.ds.query('SELECT amount, expires_at FROM points_lot ORDER BY id');
    expect(lots.map((l: any) => [Number(l.amount), new Date(Number(l.expires_at)).toISOString()])).toEqual([
      [500, NEW_YEAR_2028],
      [1, NEW_YEAR_2028],
      [1, NEW_YEAR_2029],
    ]);

    const reward = await addReward(t, { pointsPrice: 100, stock: 100 });
    t.clock.set('2027-06-01T04:00:00Z');
    expect((await redeem(t, await tokenOf(), reward.id, 'yearly-1')).status).toBe(201); // FIFO: 500-lot -> 400

    // The last second of 2027 in Shanghai: nothing is due, the points are still spendable.
    t.clock.set('2027-12-31T15:59:59Z');
    let token = await tokenOf();
    const lastDay = await t.request('GET', '/api/v1/me', { token });
    expect(lastDay.body).toMatchObject({ balance: 402, available: 402, pending: 0, worthFen: 402 });
    expect(lastDay.body.expiring).toEqual([{ points: 401, expiresAt: NEW_YEAR_2028, daysLeft: 0 }]);
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 0, pointsExpired: 0 });
    const spend = await redeem(t, token, reward.id, 'yearly-2');
    expect(spend.status).toBe(201);
    expect(spend.body.balance).toBe(302);

    // 2028-01-01 00:00 in Shanghai: before the job runs the expired points are already unspendable.
    t.clock.set(NEW_YEAR_2028);
    token = await tokenOf();
    const beforeJob = await t.request('GET', '/api/v1/me', { token });
    expect(beforeJob.body).toMatchObject({ balance: 302, available: 1 });
    const before = await snapshotCounts(t);
    const refused = await redeem(t, token, reward.id, 'yearly-3');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await snapshotCounts(t)).toEqual(before);

    const run = await t.services.expiry.run();
    expect(run).toMatchObject({ lotsExpired: 2, pointsExpired: 301 });
    const ledger = await t.request('GET', '/api/v1/me/ledger?limit=100', { token });
    const expired = ledger.body.entries.filter((e: any) => e.code === 'EXPIRE');
    expect(expired.map((e: any) => e.delta).sort((x: number, y: number) => x - y)).toEqual([-300, -1]);
    expect(expired.every((e: any) => e.createdAt === NEW_YEAR_2028 && e.refType === 'lot' && e.reason.length > 0)).toBe(true);
    expect(ledger.body.entries[0].balanceAfter).toBe(1);
    const after = await t.request('GET', '/api/v1/me', { token });
    expect(after.body).toMatchObject({ balance: 1, available: 1, worthFen: 1, expiring: [] });
    expect(await t.verify()).toEqual([]);

    // Running again (same moment, and later) expires nothing more.
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 0, pointsExpired: 0 });
    t.clock.set('2028-06-01T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 0, pointsExpired: 0 });
    expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE'")).toBe(2);
    // The 2027 point goes at the following new year.
    t.clock.set(NEW_YEAR_2029);
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 1, pointsExpired: 1 });
    expect(await scalar(t.ds, 'SELECT balance FROM member_account WHERE member_id = ?', [a.id])).toBe(0);
    expect(await t.verify()).toEqual([]);
  });

  test('spent, cancelled and restored points expire with their original lot; only what remains expires', async () => {
    const a = await loginMember(t, 'restorer');
    await grantPoints(t, a.id, 300);
    const reward = await addReward(t, { pointsPrice: 200, stock: 10 });
    const r = await redeem(t, a.token, reward.id, 'restore-1');
    expect(r.status).toBe(201);
    // Earned again in 2027: a different lot, expiring a year later.
    t.clock.set('2027-02-01T04:00:00Z');
    const token = (await loginMember(t, 'restorer')).token;
    await grantPoints(t, a.id, 50);
    expect((await t.request('POST', `/api/v1/me/redemptions/${r.body.redemption.id}/cancel`, { token })).status).toBe(200);
    t.clock.set(NEW_YEAR_2028);
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 1, pointsExpired: 300 });
    expect(await scalar(t.ds, 'SELECT balance FROM member_account WHERE member_id = ?', [a.id])).toBe(50);
    expect(await t.verify()).toEqual([]);
  });

  test("the 'expiring' countdown and reminders: 90 and 7 days ahead, once per member, date and threshold (not per lot)", async () => {
    t.clock.set('2026-06-15T04:00:00Z');
    const a = await loginMember(t, 'reminded');
    const c = await loginMember(t, 'spentall');
    await grantPoints(t, a.id, 300);
    await grantPoints(t, a.id, 200);
    await grantPoints(t, c.id, 100);
    const reward = await addReward(t, { pointsPrice: 100, stock: 10 });
    expect((await redeem(t, c.token, reward.id, 'spent-0001')).status).toBe(201); // c has nothing left to remind of
    const lotIds = (await t.ds.query('SELECT id FROM points_lot WHERE member_id = ? ORDER BY id', [a.id])).map((r: any) => Number(r.id));
    const reminders = async () =>
      (await t.ds.query("SELECT member_id, dedupe_key, body FROM notification WHERE kind = 'EXPIRY_REMINDER' ORDER BY id")).map((r: any) => ({
        memberId: Number(r.member_id),
        key: r.dedupe_key,
        body: r.body,
      }));
    const me = async () => (await t.request('GET', '/api/v1/me', { token: (await loginMember(t, 'reminded')).token })).body;

    // 2027-09-01: 121 days left, nothing to say yet.
    t.clock.set('2027-09-01T04:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(0);
    expect((await me()).expiring).toEqual([]);

    // 2027-10-02 00:00 Shanghai: 90 days left (the last usable day is 2027-12-31).
    t.clock.set('2027-10-01T16:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(1);
    expect((await me()).expiring).toEqual([{ points: 500, expiresAt: NEW_YEAR_2028, daysLeft: 90 }]);
    t.clock.set('2027-10-02T15:59:59Z'); // still the same Shanghai day
    expect((await me()).expiring).toEqual([{ points: 500, expiresAt: NEW_YEAR_2028, daysLeft: 90 }]);
    expect((await t.services.expiry.run()).remindersCreated).toBe(0);
    t.clock.set('2027-10-03T04:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(0);
    expect((await me()).expiring).toEqual([{ points: 500, expiresAt: NEW_YEAR_2028, daysLeft: 89 }]);

    // 2027-12-24 12:00 Shanghai: 7 days left.
    t.clock.set('2027-12-24T04:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(1);
    expect((await me()).expiring).toEqual([{ points: 500, expiresAt: NEW_YEAR_2028, daysLeft: 7 }]);
    expect((await t.services.expiry.run()).remindersCreated).toBe(0);
    t.clock.set('2027-12-31T15:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(0);
    expect((await me()).expiring).toEqual([{ points: 500, expiresAt: NEW_YEAR_2028, daysLeft: 0 }]);

    const rows = await reminders();
    const at = new Date(NEW_YEAR_2028).getTime();
    expect(rows.map((r: { key: string }) => r.key)).toEqual([`expiry:${a.id}:${at}:90`, `expiry:${a.id}:${at}:7`]);
    expect(lotIds).toHaveLength(2); // two lots, one reminder per threshold
    expect(rows.every((r: { memberId: number }) => r.memberId === a.id)).toBe(true);
    expect(rows[0]!.body).toContain('500 分将于 12月31日 过期');
    t.clock.set(NEW_YEAR_2028);
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 2, pointsExpired: 500, remindersCreated: 0, couponsIssued: 1 });
    // The earlier redemption's notice (issue 11.5), two reminders, the coupon's (500 expired = one 5-yuan coupon) and the EXPIRED notice.
    const kinds = (await t.ds.query('SELECT kind FROM notification ORDER BY id')).map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['REDEEMED', 'EXPIRY_REMINDER', 'EXPIRY_REMINDER', 'COUPON_ISSUED', 'EXPIRED']);
    expect(await t.verify()).toEqual([]);
  });

  test('reminders reach every lot even when more are due than one run may create', async () => {
    // Yearly clear-down: all of a year's lots expire at the same instant, so the horizon can hold far more
    // lots than one run's cap. Already-reminded lots must not crowd out the others run after run.
    const capped = ExpiryService as unknown as { REMINDERS_PER_RUN_MAX: number };
    const cap = capped.REMINDERS_PER_RUN_MAX;
    capped.REMINDERS_PER_RUN_MAX = 3;
    try {
      t.clock.set('2026-06-15T04:00:00Z');
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) {
        const m = await loginMember(t, `many${i}`);
        await grantPoints(t, m.id, 10 + i);
        ids.push(m.id);
      }
      t.clock.set('2027-10-05T04:00:00Z'); // 87 days left: the 90-day reminder is due for all seven
      const created: number[] = [];
      for (let run = 0; run < 4; run++) created.push(await t.services.expiry.remind());
      expect(created).toEqual([3, 3, 1, 0]);
      const rows = await t.ds.query("SELECT member_id, dedupe_key FROM notification WHERE kind = 'EXPIRY_REMINDER'");
      expect(rows.map((r: any) => Number(r.member_id)).sort((x: number, y: number) => x - y)).toEqual(ids);
      expect(rows.every((r: any) => /^expiry:\d+:\d+:90$/.test(r.dedupe_key))).toBe(true);
    } finally {
      capped.REMINDERS_PER_RUN_MAX = cap;
    }
  });

  test('a reminder written while another request’s transaction is open survives that transaction’s rollback', async () => {
    // SQLite shares one connection: a write made outside the transaction runner lands inside whatever
    // transaction is open at that moment, and vanishes with its rollback (a failed redemption, say).
    const a = await loginMember(t, 'reminded-during-rollback');
    await grantPoints(t, a.id, 100);
    t.clock.set('2027-12-24T04:00:00Z'); // 7 days left
    let started!: () => void;
    let release!: () => void;
    const isOpen = new Promise<void>((r) => (started = r));
    const gate = new Promise<void>((r) => (release = r));
    const failing = t.services.tx
      .run(async (m) => {
        await m.query('SELECT 1');
        started();
        await gate;
        throw new Error('this request fails and rolls back');
      })
      .catch((e: Error) => e.message);
    await isOpen;
    const reminding = t.services.expiry.remind();
    // Let the reminder job do what it can while the other transaction is open (it may have to queue).
    await Promise.race([reminding, new Promise((r) => setTimeout(r, 300))]);
    release();
    expect(await failing).toBe('this request fails and rolls back');
    expect(await reminding).toBe(1);
    expect(await countRows(t, 'notification')).toBe(1);
  });

  test('pending points show as pending, cannot be spent, and become available at activatesAt without any job', async () => {
    t.clock.set('2026-06-15T04:00:00Z');
    const a = await loginMember(t, 'pending');
    const activatesAt = Date.parse('2026-06-20T04:00:00Z'); // within the token's 7 days
    await grantPoints(t, a.id, 200, { activatesAt });
    const reward = await addReward(t, { pointsPrice: 150, stock: 10 });

    const me = await t.request('GET', '/api/v1/me', { token: a.token });
    expect(me.body).toMatchObject({ balance: 200, available: 0, pending: 200, worthFen: 0 });
    expect(me.body.pendingLots).toEqual([{ points: 200, activatesAt: '2026-06-20T04:00:00.000Z' }]);
    const shelf = await t.request('GET', '/api/v1/rewards', { token: a.token });
    expect(shelf.body.rewards[0].eligibility).toMatchObject({ canRedeem: false, reason: 'INSUFFICIENT_POINTS' });
    const before = await snapshotCounts(t);
    const refused = await redeem(t, a.token, reward.id, 'pending-1');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await snapshotCounts(t)).toEqual(before);

    // One millisecond before: still pending. The expiry job does not touch pending lots.
    t.clock.set(new Date(activatesAt - 1));
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 0 });
    expect((await t.request('GET', '/api/v1/me', { token: a.token })).body).toMatchObject({ available: 0, pending: 200 });
    expect((await redeem(t, a.token, reward.id, 'pending-2')).status).toBe(409);

    // At activatesAt: available, with no request or job in between.
    t.clock.set(new Date(activatesAt));
    const now = await t.request('GET', '/api/v1/me', { token: a.token });
    expect(now.body).toMatchObject({ balance: 200, available: 200, pending: 0, worthFen: 200, pendingLots: [] });
    const ok = await redeem(t, a.token, reward.id, 'pending-3');
    expect(ok.status).toBe(201);
    expect(ok.body.balance).toBe(50);
    expect(await t.verify()).toEqual([]);
  });
});

/** MySQL only: a conditional describe (a SQLite run still has the other tests in this file). */
const describeMysql = DB_KIND === 'mysql' ? describe : (_name: string, _fn: () => void) => undefined;

describeMysql('expiry on MySQL: two instances at once', () => {
  let t: TestApp;
  let ds2: DataSource | null = null;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
  });
  afterEach(async () => {
    if (ds2?.isInitialized) await ds2.destroy();
    ds2 = null;
    await t.close();
  });

  test('two ExpiryService instances on 300 members never expire a lot twice', async () => {
    const MEMBERS = 300;
    const ids: number[] = [];
    for (let i = 0; i < MEMBERS; i += 25) {
      const chunk = await Promise.all(Array.from({ length: Math.min(25, MEMBERS - i) }, (_, j) => t.services.members.loginOpenid(`bulk_${i + j}`)));
      ids.push(...chunk.map((m) => m.id));
    }
    // A 2026 lot per member (due at new year 2028), of varying size.
    for (let i = 0; i < ids.length; i += 25) await Promise.all(ids.slice(i, i + 25).map((id, j) => grantPoints(t, id, 10 + ((i + j) % 50))));
    // A 2027 lot for every other member (not due), and a partial spend for every third one.
    t.clock.set('2027-03-01T04:00:00Z');
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (id, j) => {
          const k = i + j;
          if (k % 2 === 0) await grantPoints(t, id, 7);
          if (k % 3 === 0) {
            await t.services.tx.run(async (m) => {
              const account = await t.services.ledger.lockAccount(m, id);
              await t.services.ledger.debit(m, account, 3, { code: 'ADJUST', reason: '测试扣减', actor: 'test' });
            });
          }
        }),
      );
    }
    t.clock.set('2028-01-05T04:00:00Z');
    const now = t.clock().getTime();
    const dueSum = await scalar(t.ds, 'SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now]);
    const dueLots = await scalar(t.ds, 'SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now]);
    const notDue = await scalar(t.ds, 'SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE expires_at > ?', [now]);
    expect(dueLots).toBe(MEMBERS);
    expect(notDue).toBe(7 * (MEMBERS / 2));

    // A second instance: its own DataSource (pool) and services on the same database and clock.
    ds2 = await openDatabase((t.ds.options as { url: string }).url, { poolSize: 10 });
    const second = createServices(ds2, t.config, t.clock);
    const [r1, r2] = await Promise.all([t.services.expiry.run(), second.expiry.run()]);

    expect(r1.lotsExpired + r2.lotsExpired).toBe(dueLots);
    expect(r1.pointsExpired + r2.pointsExpired).toBe(dueSum);
    expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE'")).toBe(dueLots);
    expect(await scalar(t.ds, "SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE code = 'EXPIRE'")).toBe(-dueSum);
    expect(await t.ds.query("SELECT ref_id, COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE' GROUP BY ref_id HAVING COUNT(*) > 1")).toEqual([]);
    expect(await scalar(t.ds, 'SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now])).toBe(0);
    expect(await scalar(t.ds, 'SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE expires_at > ?', [now])).toBe(notDue);
    expect(await scalar(t.ds, 'SELECT COALESCE(SUM(balance), 0) AS s FROM member_account')).toBe(notDue);
    expect(await t.verify()).toEqual([]);
    // And again, both at once: nothing left to do.
    const again = await Promise.all([t.services.expiry.run(), second.expiry.run()]);
    expect(again.map((r) => r.lotsExpired)).toEqual([0, 0]);
  });

  // A member range another instance holds (its lease) is left to it: test/server/expiry-leases.test.ts.

  test('npm run verify against the MySQL database: OK, then a corrupted lot is reported', async () => {
    const a = await loginMember(t, 'mysql-cli');
    await grantPoints(t, a.id, 100);
    const env = { DATABASE_URL: (t.ds.options as { url: string }).url };
    const ok = await runCli('verify', env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('verify: 1 members checked, OK');
    await t.ds.query('UPDATE points_lot SET remaining = remaining - 1 WHERE member_id = ?', [a.id]);
    const bad = await runCli('verify', env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`member ${a.id}: balance 100 != lot remainders 99`);
  });
});

/**
 * Runs `tsx server/src/cli/<name>.ts` (what `npm run <name>` runs, without npx's own start-up) with the given
 * environment; resolves with its exit code and output. A CLI still running when the file's tests end (a test
 * that timed out on a loaded machine) is killed: its open stdout pipe would otherwise keep the jest worker
 * alive ("A worker process has failed to exit gracefully").
 */
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const cliChildren = new Set<ChildProcess>();
afterAll(() => {
  // Its own process group (detached), so tsx's node child goes too.
  killGroups(cliChildren);
});

function runCli(name: 'verify' | 'expire', env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [`server/src/cli/${name}.ts`], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    cliChildren.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      cliChildren.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('operator CLIs on a SQLite file: npm run verify, npm run expire', () => {
  let dir: string;
  let ds: DataSource;
  let server: http.Server;
  let baseUrl: string;
  let url: string;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-cli-'));
    url = `sqlite:${path.join(dir, 'jifen.sqlite')}`;
    const loaded = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
    // Members start at 0 points here (the balances below are exact): no welcome gift on accepting the agreement.
    const config = { ...loaded, rules: { ...loaded.rules, welcome: { giftPoints: 0 } } };
    ds = await openDatabase(url);
    // The CLIs run on the wall clock: make the app's clock relative to it so "due" means due for them too.
    const clock = manualClock(new Date(Date.now() - 40 * 86_400_000));
    services = createServices(ds, config, clock);
    server = http.createServer(createApp(services, createLogger('silent')).callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(baseUrl + p, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }

  test('verify prints OK and exits 0 on a healthy database; a hand-edited balance exits 1 naming the member', async () => {
    const alice = (await call('POST', '/api/v1/auth/wechat', { code: 'dev:cli-alice' })).body;
    const bob = (await call('POST', '/api/v1/auth/wechat', { code: 'dev:cli-bob' })).body;
    for (const m of [alice, bob]) {
      // New members accept the agreement first (issue 11): nothing earns or spends before.
      expect((await call('POST', '/api/v1/me/agreement', { version: 1, privacyVersion: 1 }, { authorization: `Bearer ${m.token}` })).status).toBe(200);
      expect((await call('POST', '/api/v1/me/checkins', undefined, { authorization: `Bearer ${m.token}` })).status).toBe(201);
    }
    // Grant through the ledger (as an operator would), then redeem over HTTP.
    await services.tx.run(async (m) => {
      const account = await services.ledger.lockAccount(m, alice.member.id);
      await services.ledger.credit(m, account, 300, { code: 'ADJUST', reason: '测试发放', actor: 'test' });
    });
    await services.tx.run(async (m) => {
      // Bob gets a lot already due by the wall clock (not yet by the app's clock), for the expire CLI below.
      const account = await services.ledger.lockAccount(m, bob.member.id);
      await services.ledger.credit(m, account, 50, { code: 'ADJUST', reason: '测试发放', actor: 'test', expiresAt: Date.now() - 86_400_000 });
    });
    const rewardId = (
      await ds.getRepository(RewardEntity).insert({
        title: '杯子', description: '', category: 'goods', images: null, imageUrl: '/x.svg', pointsPrice: 100, faceValueFen: 100, costFen: 60, status: 'on_sale', updatedAt: services.clock().getTime(), stock: 5, minTier: null, perMemberLimit: null,
        startsAt: null, endsAt: null, active: true, sortOrder: 0, createdAt: services.clock().getTime(),
      })
    ).identifiers[0]!.id as number;
    const r = await call('POST', '/api/v1/me/redemptions', { rewardId, quantity: 1 }, { authorization: `Bearer ${alice.token}`, 'Idempotency-Key': 'cli-redeem-1' });
    expect(r.status).toBe(201);

    const ok = await runCli('verify', { DATABASE_URL: url });
    expect({ code: ok.code, stderr: ok.stderr.replace(/npm warn[^\n]*\n/g, '') }).toEqual({ code: 0, stderr: '' });
    expect(ok.stdout.trim()).toBe('verify: 2 members checked, OK');

    const expired = await runCli('expire', { DATABASE_URL: url });
    expect(expired.code).toBe(0);
    expect(expired.stdout).toMatch(/^expire: 1 lots expired, 50 points expired, 0 members skipped \(leased elsewhere\), \d+ reminders created\n$/);
    expect(await scalar(ds, "SELECT COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE' AND actor = 'cli:expire'")).toBe(1);
    expect((await runCli('verify', { DATABASE_URL: url })).code).toBe(0);

    await ds.query('UPDATE member_account SET balance = balance + 5 WHERE member_id = ?', [bob.member.id]);
    const bad = await runCli('verify', { DATABASE_URL: url });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`member ${bob.member.id}: balance 6 != sum of entries 1`);
    expect(bad.stdout).toContain(`member ${bob.member.id}: balance 6 != lot remainders 1 - debt 0`);
    expect(bad.stdout).not.toContain(`member ${alice.member.id}:`);
    expect(bad.stdout).toMatch(/verify: 2 members checked, 3 problem\(s\)\n$/);
  });

  test('a bad DATABASE_URL stops the CLI with exit 2 and a message naming the key', async () => {
    const res = await runCli('verify', { DATABASE_URL: 'postgres://nope' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('DATABASE_URL');
    expect(res.stdout).toBe('');
  });
});
