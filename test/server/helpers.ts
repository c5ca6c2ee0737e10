import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../server/src/config';
import { manualClock } from '../../server/src/clock';
import { openDatabase } from '../../server/src/db/data-source';
import { createServices, type Services } from '../../server/src/services';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { copyMysqlTemplate, sqliteTemplate } from './db-template';
import { verifyLedger } from '../../server/src/services/verify.service';
import { RewardEntity, RewardStockMovementEntity, StaffEntity, StoreEntity, type Reward } from '../../server/src/db/entities';
import { hashPassword } from '../../server/src/services/passwords';
import type { RulesConfig } from '@jifen/shared';
import type { DestinationStream } from 'pino';

/**
 * A real app on a real database: SQLite by default, MySQL/MariaDB when TEST_DB=mysql (TEST_MYSQL_URL).
 * Each call gets a fresh database (a new MySQL schema, dropped on close) and a manual clock. The database is a
 * copy of a migrated template (db-template.ts): what a fresh migration run gives, without running it again.
 */
export const DB_KIND = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';

let counter = 0;

function mysqlUrlFor(name: string): string {
  const base = process.env.TEST_MYSQL_URL;
  if (!base) throw new Error('TEST_DB=mysql needs TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306)');
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestApp {
  baseUrl: string;
  services: Services;
  ds: DataSource;
  clock: ReturnType<typeof manualClock>;
  config: AppConfig;
  request: (method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string }) => Promise<{ status: number; body: any; headers: Headers }>;
  verify: () => Promise<string[]>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  now?: string;
  rules?: (r: RulesConfig) => RulesConfig;
  env?: Record<string, string>;
  /** Another database than the fresh default (a SQLite file; MySQL through a proxy: its database is dropped on close). */
  db?: { url?: (dbName: string) => string; poolSize?: number; busyTimeoutMs?: number };
  /** Where the app logs (default: silent). */
  log?: { level: string; stream: DestinationStream };
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const clock = manualClock(opts.now ?? '2026-06-15T04:00:00Z'); // 12:00 in Shanghai
  let url: string;
  let dbName: string | null = null;
  if (DB_KIND === 'mysql') {
    dbName = `jifen_t_${process.pid}_${++counter}_${Date.now() % 100000}`;
    url = opts.db?.url ? opts.db.url(dbName) : mysqlUrlFor(dbName);
  } else {
    url = opts.db?.url ? opts.db.url('') : 'sqlite::memory:';
  }
  // Request limits are off unless a test sets them (rate-limit.test.ts): the manual clock never moves on its
  // own, so a suite's hundreds of requests would all fall in one minute. Browser tests run with the defaults.
  const limitsOff = { RATE_LIMIT_MEMBER_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0', RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: '0' };
  const dataDir = mkdtempSync(nodePath.join(tmpdir(), 'jifen-data-'));
  const base = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...limitsOff, ...opts.env } as NodeJS.ProcessEnv);
  // Tests start members at 0 points: the welcome gift (issue 11) is off unless a test's rules turn it on.
  const rules = { ...structuredClone(base.rules), welcome: { giftPoints: 0 } };
  const config: AppConfig = { ...base, rules: opts.rules ? opts.rules(rules) : rules };
  // From the template when it can be (else openDatabase migrates fresh); a test's own SQLite file migrates.
  const sqliteImage = url === 'sqlite::memory:' ? ((await sqliteTemplate()) ?? undefined) : undefined;
  if (dbName) await copyMysqlTemplate(dbName);
  const ds = await openDatabase(url, { poolSize: opts.db?.poolSize ?? 30, busyTimeoutMs: opts.db?.busyTimeoutMs, sqliteImage });
  const services = createServices(ds, config, clock);
  const app = createApp(services, opts.log ? createLogger(opts.log.level, opts.log.stream) : createLogger('silent'));
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request: TestApp['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) {
      body = o.rawBody;
      headers['content-type'] ??= 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };

  return {
    baseUrl,
    services,
    ds,
    clock,
    config,
    request,
    verify: async () => (await verifyLedger(services.tx, { timezone: config.rules.timezone })).problems,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await ds.destroy();
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL!);
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
    },
  };
}

/**
 * Logs a member in through the real WeChat dev adapter and, as the client's welcome screen does, accepts the
 * current agreement over HTTP (issue 11: nothing earns or spends before); `accept: false` stops at login.
 */
export async function loginMember(t: TestApp, name: string, opts: { accept?: boolean } = {}): Promise<{ token: string; id: number }> {
  const res = await t.request('POST', '/api/v1/auth/wechat', { body: { code: `dev:${name}` } });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  const member = { token: res.body.token as string, id: res.body.member.id as number };
  if (opts.accept !== false) await acceptAgreement(t, member.token);
  return member;
}

/** Accepts the current agreement versions for a member token (what the welcome screen's button does). */
export async function acceptAgreement(t: TestApp, token: string): Promise<any> {
  const doc = await t.request('GET', '/api/v1/me/agreement', { token });
  if (doc.status !== 200) throw new Error(`agreement: ${doc.status} ${JSON.stringify(doc.body)}`);
  const res = await t.request('POST', '/api/v1/me/agreement', { token, body: { version: doc.body.version, privacyVersion: doc.body.privacy.version } });
  if (res.status !== 200) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Gives a member points through the ledger service (an ADJUST credit), as an operator would. */
export async function grantPoints(t: TestApp, memberId: number, points: number, opts: { activatesAt?: number; expiresAt?: number } = {}): Promise<void> {
  await t.services.tx.run(async (m) => {
    const account = await t.services.ledger.lockAccount(m, memberId);
    await t.services.ledger.credit(m, account, points, { code: 'ADJUST', reason: '测试发放', actor: 'test', ...opts });
  });
}

/** A reward written straight to the table (with its opening stock movement); `active: false` means paused. */
export async function addReward(t: TestApp, r: Partial<Reward> & { pointsPrice: number; stock: number }): Promise<Reward> {
  const status = r.status ?? (r.active === false ? 'paused' : 'on_sale');
  const row = {
    title: r.title ?? `奖品${Date.now() % 1000}`,
    description: r.description ?? '',
    category: r.category ?? '',
    imageUrl: r.imageUrl ?? '/x.svg',
    images: r.images ?? null,
    faceValueFen: r.faceValueFen ?? r.pointsPrice,
    costFen: r.costFen ?? 0,
    pointsPrice: r.pointsPrice,
    priceSchedule: r.priceSchedule ?? null,
    stock: r.stock,
    minTier: r.minTier ?? null,
    perMemberLimit: r.perMemberLimit ?? null,
    startsAt: r.startsAt ?? null,
    endsAt: r.endsAt ?? null,
    status,
    active: status === 'on_sale',
    sortOrder: r.sortOrder ?? 0,
    createdAt: t.clock().getTime(),
    updatedAt: t.clock().getTime(),
  };
  const ins = await t.ds.getRepository(RewardEntity).insert(row);
  const id = Number(ins.identifiers[0]!.id);
  await t.ds.getRepository(RewardStockMovementEntity).insert({ rewardId: id, delta: row.stock, stockAfter: row.stock, kind: 'initial', reason: 'test', actor: 'test', createdAt: row.createdAt });
  return { ...row, id };
}

export const TEST_PASSWORD = 'test-pass-1234';

/** Stores A and B and staff: clerk-a, clerk-b, marketing, service, admin (password TEST_PASSWORD). */
export async function addStoresAndStaff(t: TestApp): Promise<{ storeA: number; storeB: number }> {
  await t.ds.getRepository(StoreEntity).insert([{ code: 'A', name: '国贸旗舰店' }, { code: 'B', name: '三里屯店' }]);
  const stores = await t.ds.getRepository(StoreEntity).find({ order: { id: 'ASC' } });
  const [a, b] = [stores[0]!.id, stores[1]!.id];
  const hash = await hashPassword(TEST_PASSWORD);
  const now = t.clock().getTime();
  for (const [username, role, storeId] of [
    ['clerk-a', 'clerk', a],
    ['clerk-b', 'clerk', b],
    ['marketing', 'marketing', null],
    ['service', 'service', null],
    ['admin', 'admin', null],
  ] as const) {
    await t.ds.getRepository(StaffEntity).insert({ username, passwordHash: hash, role, storeId, disabled: false, sessionVersion: 0, createdAt: now });
  }
  return { storeA: a, storeB: b };
}

/** Counts rows of a table (to prove that a refused request wrote nothing). */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const r = await t.ds.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r[0].n);
}

export async function snapshotCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = ['ledger_entry', 'points_lot', 'lot_movement', 'idempotency_record', 'redemption', 'checkin', 'purchase', 'refund', 'member', 'member_account', 'campaign', 'task_completion'];
  const out: Record<string, number> = {};
  for (const tb of tables) out[tb] = await countRows(t, tb);
  return out;
}

/** Logs a staff member in over HTTP (password TEST_PASSWORD); returns the token. */
export async function staffToken(t: TestApp, username: string): Promise<string> {
  const res = await t.request('POST', '/api/v1/auth/staff', { body: { username, password: TEST_PASSWORD } });
  if (res.status !== 200) throw new Error(`staff login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** A clerk posts an order for a member, with the member's freshly fetched code, as at the till; 201 expected. */
export async function postPurchase(t: TestApp, clerkToken: string, member: { token: string }, orderNo: string, amountFen: number): Promise<any> {
  const memberCode = (await t.request('GET', '/api/v1/me/code', { token: member.token })).body.code;
  const res = await t.request('POST', '/api/v1/till/purchases', { token: clerkToken, body: { memberCode, orderNo, amountFen } });
  if (res.status !== 201) throw new Error(`purchase ${orderNo}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The till and task tests' set-up: a fresh app (at 2026-06-15 12:00 Shanghai unless told), stores, staff and clerk-a's token. */
export async function startClerkApp(opts: TestAppOptions = { now: '2026-06-15T04:00:00Z' }): Promise<{ t: TestApp; clerk: string }> {
  const t = await startTestApp(opts);
  await addStoresAndStaff(t);
  return { t, clerk: await staffToken(t, 'clerk-a') };
}

/** The member's code 30 s on (a new code step), as the member shows it at the till for the next order. */
export async function nextMemberCode(t: TestApp, member: { token: string }): Promise<string> {
  t.clock.advance(30_000);
  return (await t.request('GET', '/api/v1/me/code', { token: member.token })).body.code;
}

/**
 * Kills a detached child's whole process group (tsx and its node child) at the end of a file: a server still
 * running (its test timed out on a loaded machine) would keep the jest worker alive through its open pipes.
 * A group that has already exited (only its 'close' event still to come) is fine (ESRCH).
 */
export function killGroups(children: Iterable<ChildProcess>): void {
  for (const child of children) {
    if (!child.pid) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}

/**
 * A detached child (its own process group, so killGroups reaches tsx and its node child) with stdout and
 * stderr gathered into one text, tracked in `children` until it exits.
 */
export function spawnCaptured(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
  children: Set<ChildProcess>,
): { child: ChildProcess; out: () => string } {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.on('exit', () => children.delete(child));
  return { child, out: () => out };
}
