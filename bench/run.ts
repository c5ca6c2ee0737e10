import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { MemberCodeService } from '../server/src/services/member-code.service';
import { verifyLedger } from '../server/src/services/verify.service';
import { systemClock } from '../server/src/clock';
import { acceptAgreement } from './agreement';
import { baselinePurchase } from './baseline';
import { errorLabel, JsonClient, MemorySampler, runPool, type PhaseFigures, clerkTokens } from './load';
import { seed } from './seed';
import { seedHistory } from './seed-history';
import { AppProcess, type AppStats } from './app-process';

/**
 * `npm run bench` (issue 4 item 10), against MariaDB only and never part of `npm test`:
 *  (a) purchases over HTTP against the real app (its own process on 127.0.0.1) at fixed concurrency, each with a
 *      real clerk token and a fresh member code (MemberCodeService.issue, same secret and wall clock as the server);
 *  (b) redemptions on one hot member (every request queues on the same account lock);
 *  (c) the raw-SQL baseline: the same ledger writes per purchase through mysql2, same concurrency and N.
 * The database jifen_bench_<members> is seeded once (seed-history.ts) and reused; figures go to bench/results/latest.json;
 * verifyLedger must pass on the result. Everything is bounded: sizes, concurrency, each phase and the run.
 */

const LIMITS = { membersMax: 2_000_000, purchasesMax: 50_000, redemptionsMax: 10_000, concurrencyMax: 256, timeLimitSMax: 600 };
/** `npm run bench -- --members 1000000 [--fresh]`: flags win over the BENCH_* variables. */
const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? '') : undefined;
}
if (flag('members') !== undefined) process.env.BENCH_MEMBERS = flag('members');
const FRESH = argv.includes('--fresh');
const RUN_ID = Date.now().toString(36);
const WARMUP_REQUESTS = 200; // unmeasured, before (a) and (c): JIT, pools and caches warm on both sides
const REWARD_PRICE_POINTS = 10;
const PHASE_BUDGET_S = { purchases: 45, redemptions: 20, baseline: 30 }; // per round

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < min || v > max) fail(`${name} must be an integer in ${min}..${max} (got ${raw})`);
  return v;
}

function fail(message: string, code = 2): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const opts = {
  baseUrl: process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306',
  members: envInt('BENCH_MEMBERS', 10_000, 100, LIMITS.membersMax),
  fresh: FRESH,
  purchases: envInt('BENCH_PURCHASES', 1_500, 1, LIMITS.purchasesMax),
  redemptions: envInt('BENCH_REDEMPTIONS', 500, 1, LIMITS.redemptionsMax),
  concurrency: envInt('BENCH_CONCURRENCY', 32, 1, LIMITS.concurrencyMax),
  timeLimitS: envInt('BENCH_TIME_LIMIT_S', 600, 30, LIMITS.timeLimitSMax),
};
// Members 1..purchaseMembers post (a) (one code each, never reused), the next ones take (c), the last is hot.
const purchaseMembers = Math.floor(opts.members * 0.6);
const hotMember = opts.members;
/** One database per size, kept between runs (seed-history.ts); --fresh drops it first. */
const DB_NAME = `jifen_bench_${opts.members}`;
if (3 * opts.purchases + WARMUP_REQUESTS > purchaseMembers) {
  fail(`3 × BENCH_PURCHASES + ${WARMUP_REQUESTS} warm-up must be at most 60% of BENCH_MEMBERS (${purchaseMembers}): each purchase uses its own member`);
}

function dbUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Checks MariaDB answers before anything depends on it; a clear message when it does not. */
async function ping(base: string): Promise<{ version: string; flushAtCommit: string }> {
  let conn: mysql.Connection | null = null;
  let found: { version: string; flushAtCommit: string } | null = null;
  try {
    const u = new URL(base);
    u.pathname = '/';
    conn = await mysql.createConnection({ uri: u.toString(), connectTimeout: 3000 });
    const [rows] = (await conn.query("SELECT VERSION() AS v, @@innodb_flush_log_at_trx_commit AS f")) as unknown as [{ v: string; f: number }[]];
    found = { version: rows[0]!.v, flushAtCommit: String(rows[0]!.f) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    fail(
      `MariaDB at ${redact(base)} does not answer (${err.code ?? err.message}).\n` +
        '  Start it (DESIGN §8): mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld && ' +
        'start-stop-daemon --start --oknodo --background --chuid mysql --exec /usr/sbin/mariadbd\n' +
        '  or point BENCH_MYSQL_URL at a running server (mysql://user:pass@host:port).',
    );
  } finally {
    await conn?.end().catch(() => undefined);
  }
  return found!;
}

async function prepareDatabase(base: string, fresh: boolean): Promise<void> {
  const u = new URL(base);
  u.pathname = '/';
  const conn = await mysql.createConnection(u.toString());
  try {
    if (fresh) await conn.query(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}


const ROUNDS = envInt('BENCH_ROUNDS', 3, 1, 5);

interface RoundFigures {
  purchases: PhaseFigures;
  purchasesApp: AppStats;
  redemptions: PhaseFigures;
  redemptionsApp: AppStats;
  baseline: PhaseFigures;
  baselineMemory: { rssPeakMb: number; heapUsedPeakMb: number };
  healthMs: number;
  meMs: number;
}

function perReq(n: number, requests: number): number {
  return requests === 0 ? 0 : Math.round((n / requests) * 10) / 10;
}

/** Median with its spread, as "m [min..max]". */
function spread(values: number[], digits = 1): string {
  const v = [...values].sort((a, b) => a - b);
  const med = median(v);
  const f = (x: number) => x.toFixed(digits);
  return v.length === 1 ? f(med) : `${f(med)} [${f(v[0]!)}..${f(v[v.length - 1]!)}]`;
}

/** A figure of the issue's table; `met` when it has a target, and where it is missed, why and the next step. */
interface TableRow {
  figure: string;
  value: string;
  target: string;
  met?: boolean;
  next?: string;
}

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/** The issue's table: every figure this run measured, next to its target; a missed target says why and what next. */
function summarize(rounds: RoundFigures[], o: { verifyMs: number; members: number }): TableRow[] {
  const col = (f: (r: RoundFigures) => number, digits = 1) => spread(rounds.map(f), digits);
  const med = (f: (r: RoundFigures) => number) => median(rounds.map(f));
  const purchaseStmts = (r: RoundFigures) => perReq(r.purchasesApp.statements, r.purchases.requests);
  const redemptionStmts = (r: RoundFigures) => perReq(r.redemptionsApp.statements, r.redemptions.requests);
  return [
    { figure: 'purchase throughput over HTTP, req/s', value: col((r) => r.purchases.throughputPerS), target: '' },
    { figure: 'raw mysql2 baseline, purchases/s', value: col((r) => r.baseline.throughputPerS), target: '' },
    {
      figure: 'purchase ÷ baseline throughput',
      value: col((r) => ratio(r.purchases.throughputPerS, r.baseline.throughputPerS), 2),
      target: '≥ 0.5',
      met: med((r) => ratio(r.purchases.throughputPerS, r.baseline.throughputPerS)) >= 0.5,
      next: 'the raw loop has no HTTP, auth or validation; of the 9 statements two are auth (staff session, store) and two go through the query builder (tier, campaigns). Next: cache the staff session per token version, raw reads for tier and campaigns',
    },
    { figure: 'purchase p50 / p99, ms', value: `${col((r) => r.purchases.p50Ms)} / ${col((r) => r.purchases.p99Ms)}`, target: '' },
    { figure: 'statements per purchase', value: col(purchaseStmts), target: '≤ 9', met: med(purchaseStmts) <= 9, next: 'count the queries of one purchase (DEBUG_SQL) and fold the reads before the lock' },
    { figure: 'statements per redemption', value: col(redemptionStmts), target: '≤ 8', met: med(redemptionStmts) <= 8, next: 'count the queries of one redemption and fold the reads before the lock' },
    {
      figure: 'one hot member, redemptions/s',
      value: col((r) => r.redemptions.throughputPerS),
      target: '≥ 500, no deadlock error',
      met: med((r) => r.redemptions.throughputPerS) >= 500,
      next: 'every redemption of one member queues on its row lock: 3 round trips while locked, each a context switch on 2 shared cores. Next: measure on a quiet machine; move the stock movement out of the member lock',
    },
    { figure: 'redemption errors (all rounds)', value: String(rounds.reduce((s, r) => s + r.redemptions.errors, 0)), target: '0', met: rounds.every((r) => r.redemptions.errors === 0), next: 'read the errors by status above' },
    { figure: 'app CPU per purchase / redemption, ms', value: `${col((r) => ratio(r.purchasesApp.cpuMs, r.purchases.requests), 2)} / ${col((r) => ratio(r.redemptionsApp.cpuMs, r.redemptions.requests), 2)}`, target: '' },
    { figure: 'app memory peak rss, MiB', value: col((r) => Math.max(r.purchasesApp.rssPeakMb, r.redemptionsApp.rssPeakMb), 0), target: '' },
    {
      figure: `health report at ${o.members} members, ms`,
      value: col((r) => r.healthMs),
      target: '< 200',
      met: med((r) => r.healthMs) < 200,
      next: 'flows, members, debt and donations come from rollups (ledger_daily, member_debt, rollup_total); what is left grows with lots: overdue points scan the (expires_at, remaining) index over every lot ever due, swept ones included. Next: a lower bound from the expiry job (lots due before its last complete run are swept) or an open-lots-by-expiry rollup',
    },
    { figure: 'GET /me (hot member), ms', value: col((r) => r.meMs), target: '< 20', met: med((r) => r.meMs) < 20, next: 'GET /me runs its five reads at once on the pool (member with account, lot sums from a covering index, tier, expiring, pending); it costs its slowest: the tier year sum over the member\'s ledger entries. Next: monthly qualifying buckets for the tier (member-tier.ts)' },
    {
      figure: `verify at ${o.members} members, s (one run)`,
      value: (o.verifyMs / 1000).toFixed(1),
      target: '< 30',
      met: o.verifyMs < 30_000,
      next: 'verify recomputes every member from its entries and lots in keyset pages. Next: pages read in parallel on two connections inside one snapshot each',
    },
  ];
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 100) / 100;
}

function line(name: string, f: PhaseFigures): string {
  const errs = f.errors === 0 ? '0' : `${f.errors} ${JSON.stringify(f.errorsByStatus)}`;
  return `${name.padEnd(26)} ${String(f.requests).padStart(6)} req  ${f.throughputPerS.toFixed(1).padStart(8)} req/s  p50 ${f.p50Ms.toFixed(2).padStart(7)} ms  p99 ${f.p99Ms.toFixed(2).padStart(7)} ms  errors ${errs}${f.stoppedByDeadline ? '  (stopped at its time limit)' : ''}`;
}

async function main(): Promise<void> {
  const runStarted = Date.now();
  const hardDeadline = runStarted + opts.timeLimitS * 1000;
  let server: AppProcess | null = null;
  const hardStop = setTimeout(() => {
    process.stderr.write(`bench: time limit of ${opts.timeLimitS} s reached; stopping\n`);
    server?.child.kill('SIGKILL');
    process.exit(1);
  }, opts.timeLimitS * 1000);
  const phaseDeadline = (budgetS: number) => Math.min(Date.now() + budgetS * 1000, hardDeadline - 20_000);

  const db = await ping(opts.baseUrl);
  const url = dbUrl(opts.baseUrl, DB_NAME);
  say(`bench: MariaDB ${db.version} at ${redact(opts.baseUrl)} answers; database ${DB_NAME}${opts.fresh ? ' recreated' : ' (kept between runs; --fresh recreates it)'}`);
  say(`bench: ${opts.members} members, ${opts.purchases} purchases, ${opts.redemptions} redemptions, concurrency ${opts.concurrency}, time limit ${opts.timeLimitS} s`);
  // Figures mean little on a busy machine: say how busy it was (the app, MariaDB and the load share the CPUs).
  const loadAtStart = os.loadavg()[0]!;
  say(`bench: ${os.cpus().length} CPUs, load average ${loadAtStart.toFixed(2)} at start${loadAtStart > os.cpus().length / 2 ? ' (busy: other work competes with the bench)' : ''}`);
  await prepareDatabase(opts.baseUrl, opts.fresh);

  const secrets = { JWT_SECRET: randomBytes(24).toString('hex'), MEMBER_CODE_SECRET: randomBytes(24).toString('hex') };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: url,
    WECHAT_MODE: 'dev',
    LOG_LEVEL: 'silent',
    EXPIRY_INTERVAL_MINUTES: '0',
    BENCH_POOL_SIZE: String(opts.concurrency),
    // The bench drives one hot member and one address far past any real member: the request limits are off.
    RATE_LIMIT_MEMBER_PER_MINUTE: '0',
    RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
    RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: '0',
    ...secrets,
  };
  const config: AppConfig = loadConfig(env);
  const ds: DataSource = await openDatabase(url, { poolSize: 4 }); // runs the migrations
  const pool = mysql.createPool({ uri: url, connectionLimit: opts.concurrency, supportBigNumbers: true });
  const memory = new MemorySampler();
  try {
    const tty = process.stdout.isTTY;
    let history;
    try {
      history = await seedHistory(pool, { members: opts.members, progress: (l, done) => process.stdout.write(tty ? `\r${l}${done ? '\n' : ''}` : `${l}\n`) });
    } catch (e) {
      fail(`${(e as Error).message}`);
    }
    say(
      history.reused
        ? `seed: reused ${history.members} members (${history.entries} entries, ${history.lots} lots, ${history.dueLots} due; seeded earlier in ${history.ms} ms at ${history.membersPerS}/s)`
        : `seed: ${history.members} members, ${history.entries} entries, ${history.lots} lots (${history.dueLots} due) in ${history.ms} ms: ${history.membersPerS} members/s`,
    );
    const seeded = await seed(pool, { members: opts.members, rewardStock: opts.redemptions * 5, rewardPrice: REWARD_PRICE_POINTS, clerkPassword: randomBytes(12).toString('hex') });
    say(`fixtures: 2 stores, 2 clerks, 1 reward in ${seeded.seedMs} ms`);

    server = await AppProcess.start(env);
    const client = new JsonClient(server.port, opts.concurrency);
    const tokens = await clerkTokens(client, seeded.clerks);
    const codes = new MemberCodeService(config.memberCodeSecret, systemClock);

    // (a) purchases over HTTP: member g uses its own fresh code; clerks of stores A and B alternate.
    const postPurchase = async (g: number): Promise<true | string> => {
      const memberId = 1 + g;
      const res = await client.request('POST', '/api/v1/till/purchases', { memberCode: codes.issue(memberId).code, orderNo: `${RUN_ID}-P${g}`, amountFen: 1000 + ((g * 7919) % 49_000) }, { authorization: `Bearer ${tokens[g % 2]}` });
      return res.status === 201 ? true : errorLabel(res);
    };
    // (b) redemptions on one hot member: points granted first (one ADJUST credit through the ledger).
    const services = createServices(ds, config, systemClock);
    await services.tx.run(async (m) => {
      const account = await services.ledger.lockAccount(m, hotMember);
      await services.ledger.credit(m, account, opts.redemptions * ROUNDS * REWARD_PRICE_POINTS, { code: 'ADJUST', reason: '压测发放', actor: 'bench' });
    });
    const login = await client.request('POST', '/api/v1/auth/wechat', { code: `dev:bench${hotMember}` });
    if (login.status !== 200 || login.body.member.id !== hotMember) throw new Error(`hot member login: ${errorLabel(login)}`);
    const hotToken: string = login.body.token;
    await acceptAgreement(client, hotToken); // redemptions are gated on the agreement (else all 409)
    const adminLogin = await client.request('POST', '/api/v1/auth/staff', { username: seeded.admin.username, password: seeded.admin.password });
    if (adminLogin.status !== 200) throw new Error(`admin login: ${errorLabel(adminLogin)}`);
    const adminToken: string = adminLogin.body.token;
    // (c) the raw-SQL baseline on members the app has not touched, same concurrency and N.
    const baselineMembers = hotMember - 1 - purchaseMembers;
    const basePurchase = async (g: number): Promise<true | string> => {
      await baselinePurchase(pool, config.rules, purchaseMembers + 1 + (g % baselineMembers), 1000 + ((g * 7919) % 49_000), `${RUN_ID}-Q${g}`);
      return true;
    };
    const timed = async (f: () => Promise<{ status: number }>): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const res = await f();
      if (res.status !== 200) throw new Error(`timed request: ${res.status}`);
      return Math.round(Number(process.hrtime.bigint() - t0) / 10_000) / 100;
    };
    await runPool(WARMUP_REQUESTS, opts.concurrency, phaseDeadline(20), (k) => postPurchase(k));
    await runPool(WARMUP_REQUESTS, opts.concurrency, phaseDeadline(20), (k) => basePurchase(k));

    const rounds: RoundFigures[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await server.stats(true);
      const first = WARMUP_REQUESTS + r * opts.purchases;
      const purchases = await runPool(opts.purchases, opts.concurrency, phaseDeadline(PHASE_BUDGET_S.purchases), (k) => postPurchase(first + k));
      const purchasesApp = await server.stats(true);
      const redemptions = await runPool(opts.redemptions, opts.concurrency, phaseDeadline(PHASE_BUDGET_S.redemptions), async (k) => {
        const res = await client.request('POST', '/api/v1/me/redemptions', { rewardId: seeded.rewardId, quantity: 1 }, { authorization: `Bearer ${hotToken}`, 'idempotency-key': `bench-redeem-${RUN_ID}-${r}-${k}` });
        return res.status === 201 ? true : errorLabel(res);
      });
      const redemptionsApp = await server.stats(true);
      memory.take(true);
      const baseline = await runPool(opts.purchases, opts.concurrency, phaseDeadline(PHASE_BUDGET_S.baseline), (k) => basePurchase(first + k));
      const baselineMemory = memory.take(true);
      const healthMs = await timed(() => client.request('GET', '/api/v1/admin/reports/health', undefined, { authorization: `Bearer ${adminToken}` }));
      const meMs = await timed(() => client.request('GET', '/api/v1/me', undefined, { authorization: `Bearer ${hotToken}` }));
      const round: RoundFigures = { purchases, purchasesApp, redemptions, redemptionsApp, baseline, baselineMemory, healthMs, meMs };
      rounds.push(round);
      say(`round ${r + 1}/${ROUNDS}:`);
      say(`  ${line('(a) purchases (HTTP)', purchases)}`);
      say(`  ${line('(b) redemptions, 1 member', redemptions)}`);
      say(`  ${line('(c) baseline (raw SQL)', baseline)}`);
      say(`  health report ${healthMs} ms, GET /me ${meMs} ms; statements: ${perReq(purchasesApp.statements, purchases.requests)} per purchase, ${perReq(redemptionsApp.statements, redemptions.requests)} per redemption`);
    }
    client.close();
    await server.stop();
    server = null;

    const verifyStarted = Date.now();
    const verify = await verifyLedger(ds, { timezone: config.rules.timezone });
    const verifyMs = Date.now() - verifyStarted;
    const ledgerRows = Number((await ds.query('SELECT COUNT(*) AS n FROM ledger_entry'))[0].n);
    const table = summarize(rounds, { verifyMs, members: opts.members });
    say('');
    say(`figures (median of ${ROUNDS} rounds, [min..max]); ${os.cpus().length} CPUs, load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end:`);
    for (const row of table) {
      const mark = row.met === undefined ? '' : row.met ? '  met' : '  MISSED';
      say(`  ${row.figure.padEnd(44)} ${row.value.padEnd(30)} target ${row.target}${mark}`);
      if (row.met === false && row.next) say(`      why / next: ${row.next}`);
    }
    const results = {
      generatedAt: new Date().toISOString(),
      environment: { loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg()[0]!, node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', mariadb: db.version, innodbFlushLogAtTrxCommit: db.flushAtCommit, database: DB_NAME },
      settings: { ...opts, rounds: ROUNDS, baseUrl: redact(opts.baseUrl), warmupRequests: WARMUP_REQUESTS, poolSize: opts.concurrency, rewardPricePoints: REWARD_PRICE_POINTS },
      seed: history,
      table,
      rounds,
      verify: { ok: verify.problems.length === 0, ms: verifyMs, membersChecked: verify.membersChecked, ledgerEntries: ledgerRows, problems: verify.problems.slice(0, 20) },
      benchMemory: memory.take(),
      elapsedS: Math.round((Date.now() - runStarted) / 100) / 10,
    };
    const out = path.join(__dirname, 'results', 'latest.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    say(`figures written to ${path.relative(process.cwd(), out)} (run took ${results.elapsedS} s)`);
    if (verify.problems.length === 0) say(`verify: ${verify.membersChecked} members checked, ${ledgerRows} ledger entries, OK in ${verifyMs} ms`);
    else for (const p of verify.problems.slice(0, 20)) say(`verify: ${p}`);
    say(`(the same check: DATABASE_URL=${redact(url)} npm run verify)`);
    const failed = verify.problems.length > 0 || rounds.some((r) => r.purchases.errors > 0 || r.redemptions.errors > 0 || r.baseline.errors > 0);
    process.exitCode = failed ? 1 : 0;
  } finally {
    clearTimeout(hardStop);
    memory.stop();
    if (server) await server.stop();
    await pool.end();
    await ds.destroy();
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
