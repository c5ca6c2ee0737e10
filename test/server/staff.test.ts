import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { loadConfig, ROOT_DIR } from '../../server/src/config';
import { manualClock } from '../../server/src/clock';
import { openDatabase } from '../../server/src/db/data-source';
import { createServices } from '../../server/src/services';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { StaffEntity, StoreEntity } from '../../server/src/db/entities';
import { staffToken, addStoresAndStaff, DB_KIND, loginMember, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

const LOGIN = '/api/v1/auth/staff';
const login = (t: TestApp, username: string, password: string, headers: Record<string, string> = {}) => t.request('POST', LOGIN, { body: { username, password }, headers });

describe('staff login', () => {
  let t: TestApp;
  let stores: { storeA: number; storeB: number };
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    stores = await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('the right password returns a token and the staff profile, never the password hash', async () => {
    const res = await login(t, 'clerk-a', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
    expect(res.body.staff).toEqual({ id: expect.any(Number), username: 'clerk-a', role: 'clerk', storeId: stores.storeA, storeName: '国贸旗舰店' });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/scrypt|hash/i);
    expect(text).not.toContain(TEST_PASSWORD);
    const mk = await login(t, 'marketing', TEST_PASSWORD);
    expect(mk.body.staff).toMatchObject({ role: 'marketing', storeId: null, storeName: null });
  });

  test('a wrong password and an unknown user get the same 401 BAD_CREDENTIALS', async () => {
    const wrong = await login(t, 'clerk-a', 'not-the-password');
    const unknown = await login(t, 'nobody', TEST_PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('BAD_CREDENTIALS');
      expect(res.body.token).toBeUndefined();
    }
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  test('a disabled account cannot log in', async () => {
    await t.ds.getRepository(StaffEntity).update({ username: 'clerk-b' }, { disabled: true });
    const res = await login(t, 'clerk-b', TEST_PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('BAD_CREDENTIALS');
  });

  test('bad input is 400 and counts nothing', async () => {
    const res = await t.request('POST', LOGIN, { body: { username: 'clerk-a' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await t.request('POST', LOGIN, { body: { username: 'clerk-a', password: TEST_PASSWORD, role: 'admin' } });
    expect(extra.status).toBe(400);
    expect(Number((await t.ds.query('SELECT COUNT(*) AS n FROM login_throttle'))[0].n)).toBe(0);
  });

  test('5 failures lock the username: 429 with Retry-After even with the right password, until the lock time passes', async () => {
    for (let i = 0; i < 5; i++) expect((await login(t, 'clerk-a', `wrong-${i}`)).status).toBe(401);
    const locked = await login(t, 'clerk-a', TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.headers.get('retry-after')).toBe(String(15 * 60));
    // Another user on the same IP is not locked by clerk-a's failures.
    expect((await login(t, 'clerk-b', TEST_PASSWORD)).status).toBe(200);
    t.clock.advance(10 * 60_000);
    const still = await login(t, 'clerk-a', TEST_PASSWORD);
    expect(still.status).toBe(429);
    expect(still.headers.get('retry-after')).toBe(String(5 * 60));
    t.clock.advance(5 * 60_000); // exactly when the lock ends: a served lock starts a new count
    expect((await login(t, 'clerk-a', 'wrong-again')).status).toBe(401);
    t.clock.advance(1000);
    const ok = await login(t, 'clerk-a', TEST_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.staff.username).toBe('clerk-a');
  });

  test('the lock is per username whatever its case, and unknown usernames lock too', async () => {
    for (let i = 0; i < 5; i++) expect((await login(t, i % 2 ? 'GHOST' : 'ghost', 'x')).status).toBe(401);
    expect((await login(t, 'Ghost', 'x')).status).toBe(429);
  });

  test('a successful login clears the username failures; failures outside the 15-minute window start over', async () => {
    for (let i = 0; i < 4; i++) await login(t, 'clerk-a', 'wrong');
    expect((await login(t, 'clerk-a', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(t, 'clerk-a', 'wrong')).status).toBe(401);
    expect((await login(t, 'clerk-a', TEST_PASSWORD)).status).toBe(200); // 4 + 4 failures, never 5 in a row
    for (let i = 0; i < 4; i++) await login(t, 'clerk-a', 'wrong');
    t.clock.advance(15 * 60_000 + 1000);
    expect((await login(t, 'clerk-a', 'wrong')).status).toBe(401); // first failure of a new window
    expect((await login(t, 'clerk-a', TEST_PASSWORD)).status).toBe(200);
  });

  test('20 failures from one IP lock that IP for every username', async () => {
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    for (let i = 0; i < 20; i++) expect((await login(t, users[i % 5]!, 'wrong')).status).toBe(401);
    const res = await login(t, 'clerk-b', TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(15 * 60));
  }, 30_000);

  test('successful logins do not use up the IP budget (a shared store network logs in all day)', async () => {
    for (let i = 0; i < 25; i++) expect((await login(t, i % 2 ? 'clerk-a' : 'clerk-b', TEST_PASSWORD)).status).toBe(200);
    expect((await login(t, 'nobody', 'x')).status).toBe(401);
  }, 30_000);

  test('guesses on clerk-a from one address do not lock clerk-a out from another (the count is per username and address)', async () => {
    const proxied = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      await addStoresAndStaff(proxied);
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      for (let i = 0; i < 5; i++) expect((await login(proxied, 'clerk-a', `wrong-${i}`, from('203.0.113.7'))).status).toBe(401);
      expect((await login(proxied, 'clerk-a', TEST_PASSWORD, from('203.0.113.7'))).status).toBe(429);
      const elsewhere = await login(proxied, 'clerk-a', TEST_PASSWORD, from('198.51.100.20'));
      expect(elsewhere.status).toBe(200);
      // A client cannot dodge the count by sending its own X-Forwarded-For: only the proxy's (last) entry counts.
      expect((await login(proxied, 'clerk-a', TEST_PASSWORD, from('10.9.9.9, 203.0.113.7'))).status).toBe(429);
    } finally {
      await proxied.close();
    }
  }, 30_000);

  test('25 wrong guesses on random usernames from one address: that address waits, clerk-a logs in from another', async () => {
    const proxied = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      await addStoresAndStaff(proxied);
      const attacker = { 'X-Forwarded-For': '203.0.113.66' };
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await login(proxied, `random-${i}-${Math.random().toString(36).slice(2, 8)}`, 'guess', attacker)).status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      expect((await login(proxied, 'clerk-a', TEST_PASSWORD, attacker)).status).toBe(429);
      const store = await login(proxied, 'clerk-a', TEST_PASSWORD, { 'X-Forwarded-For': '198.51.100.20' });
      expect(store.status).toBe(200);
    } finally {
      await proxied.close();
    }
  }, 60_000);

  test('parallel guesses cannot get past the limit: of 12 at once, at most 5 are checked, the rest 429', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(t, 'clerk-a', `guess-${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect((await login(t, 'clerk-a', TEST_PASSWORD)).status).toBe(429);
  }, 30_000);

  test('a staff token lasts 8 hours (one shift)', async () => {
    const token = await staffToken(t, 'clerk-a');
    // An unknown pickup code: 404 proves the token was accepted as a clerk's.
    const probe = () => t.request('POST', '/api/v1/till/redemptions/ZZZZZZZZZZ/fulfil', { token });
    expect((await probe()).status).toBe(404);
    t.clock.advance(8 * 3600_000 - 1000);
    expect((await probe()).status).toBe(404);
    t.clock.advance(2000);
    const expired = await probe();
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('till routes: clerks only (member, marketing and admin tokens 403; no token 401; a forged token 401)', async () => {
    const alice = await loginMember(t, 'alice');
    const marketing = await staffToken(t, 'marketing');
    const admin = await staffToken(t, 'admin');
    const routes: [string, unknown][] = [
      ['/api/v1/till/purchases', { memberCode: 'A-AAAAAAAAAAAA', orderNo: 'X1', amountFen: 100 }],
      ['/api/v1/till/purchases/X1/refunds', { amountFen: 100 }],
      ['/api/v1/till/redemptions/ZZZZZZZZZZ/fulfil', undefined],
    ];
    const before = await t.ds.query('SELECT COUNT(*) AS n FROM ledger_entry');
    for (const [route, body] of routes) {
      for (const token of [alice.token, marketing, admin]) {
        const res = await t.request('POST', route, { token, body, headers: { 'Idempotency-Key': 'role-check-1' } });
        expect([route, res.status, res.body.error.code]).toEqual([route, 403, 'FORBIDDEN']);
      }
      const anon = await t.request('POST', route, { body });
      expect([route, anon.status, anon.body.error.code]).toEqual([route, 401, 'UNAUTHENTICATED']);
      const forged = await t.request('POST', route, { body, token: `${marketing.slice(0, -4)}AAAA` });
      expect([route, forged.status]).toEqual([route, 401]);
    }
    expect(await t.ds.query('SELECT COUNT(*) AS n FROM ledger_entry')).toEqual(before);
  });

  test('a staff token is not a member token (403 on /me)', async () => {
    const clerk = await staffToken(t, 'clerk-a');
    const res = await t.request('GET', '/api/v1/me', { token: clerk });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

/** An app on a database the CLI process can reach too: a SQLite file, or a fresh MySQL schema. */
async function fileBackedApp() {
  let url: string;
  let cleanup: () => Promise<void>;
  if (DB_KIND === 'mysql') {
    const name = `jifen_cli_${process.pid}_${Date.now() % 100000}`;
    const u = new URL(process.env.TEST_MYSQL_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL!);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    };
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-cli-'));
    url = `sqlite:${path.join(dir, 'jifen.sqlite')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const clock = manualClock(new Date());
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const ds: DataSource = await openDatabase(url, { poolSize: 5 });
  await ds.getRepository(StoreEntity).insert([{ code: 'A', name: '国贸旗舰店' }]);
  const server = http.createServer(createApp(createServices(ds, config, clock), createLogger('silent')).callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const loginAs = async (username: string, password: string) => {
    const res = await fetch(`${baseUrl}${LOGIN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const staffCli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        path.join(ROOT_DIR, 'node_modules/.bin/tsx'),
        ['server/src/cli/staff.ts', ...args],
        { cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'silent' }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  return {
    ds,
    baseUrl,
    loginAs,
    staffCli,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await ds.destroy();
      await cleanup();
    },
  };
}

/**
 * Each CLI run starts a tsx process (a second or two, more on a loaded machine). The runs are sequential: six
 * tsx processes started at once failed under load (exit 143). The commands themselves are tested in-process
 * in staff-cli.test.ts; here only what needs the real process: argv, exit codes, stdout and stderr.
 */
const CLI_TIMEOUT_MS = 90_000;

describe('npm run staff (CLI process)', () => {
  let app: Awaited<ReturnType<typeof fileBackedApp>>;
  beforeAll(async () => {
    app = await fileBackedApp();
  }, CLI_TIMEOUT_MS);
  afterAll(() => app.close());

  test('add without --password generates one, prints it once, and it logs in over HTTP', async () => {
    const res = await app.staffCli('add', '--username', 'clerk-c', '--role', 'clerk', '--store', 'A');
    expect(res).toMatchObject({ code: 0 });
    const password = /^password: (\S+)$/m.exec(res.stdout)?.[1];
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(12);
    const row = await app.ds.getRepository(StaffEntity).findOneOrFail({ where: { username: 'clerk-c' } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain(password!);
    const login = await app.loginAs('clerk-c', password!);
    expect(login.status).toBe(200);
    expect(login.body.staff).toMatchObject({ username: 'clerk-c', role: 'clerk', storeName: '国贸旗舰店' });
  }, CLI_TIMEOUT_MS);

  test('bad usage exits 2 with the usage and writes nothing; disable exits 0 and the open session ends; an unknown account exits 1', async () => {
    const count = () => app.ds.getRepository(StaffEntity).count();
    const before = await count();
    const bad = await app.staffCli('add', '--username', 'x1', '--role', 'boss');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage:');
    expect(bad.stderr).toContain('disable NAME');
    expect(await count()).toBe(before);

    const password = /^password: (\S+)$/m.exec((await app.staffCli('add', '--username', 'clerk-d', '--role', 'clerk', '--store', 'A')).stdout)![1]!;
    const token = (await app.loginAs('clerk-d', password)).body.token as string;
    const disabled = await app.staffCli('disable', 'clerk-d');
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('disabled "clerk-d"');
    const probe = await fetch(`${app.baseUrl}/api/v1/till/redemptions/ZZZZZZZZZZ/fulfil`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(probe.status).toBe(401);
    expect(((await probe.json()) as any).error.code).toBe('SESSION_REVOKED');

    const unknown = await app.staffCli('enable', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no staff account "nobody"');
  }, CLI_TIMEOUT_MS * 2);
});
