import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { systemClock } from '../server/src/clock';
import { verifyLedger } from '../server/src/services/verify.service';
import { ExpiryService } from '../server/src/services/expiry.service';
import { seedHistory } from './seed-history';
import { legacyExpire } from './expiry-legacy';

/**
 * `npm run bench:expiry -- --members 100000 [--workers 2]` (issue 14.2), MariaDB only, never part of `npm test`.
 * Seeds a fresh database (seed-history.ts: one lot in ten already due), then expires every due lot, twice in
 * one run on identical data: the lot-by-lot job as it was (bench/expiry-legacy.ts) and the set-based job over
 * leased ranges (with --workers instances at once). Beside each sweep, a few clients credit points to random
 * members (lock the account, append an entry, add a lot: the locked part of a purchase) and the p99 of that
 * transaction is taken alone and during the sweep. verify must pass after each. Figures: bench/results/expiry.json.
 */
const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
};
const MEMBERS = Math.min(flag('members', 100_000), 2_000_000);
const WORKERS = Math.min(flag('workers', 1), 8);
const CLIENTS = argv.includes('--clients') ? Math.min(Math.max(0, Number(argv[argv.indexOf('--clients') + 1]) || 0), 32) : 4;
const ONLY = argv.includes('--after-only') ? 'after' : null;
const ALONE_MS = 4000;
const BATCH = argv.includes('--batch') ? flag('batch', ExpiryService.MEMBERS_PER_BATCH_MAX) : ExpiryService.MEMBERS_PER_BATCH_MAX;
const BASE = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DB = 'jifen_bench_expiry';
const say = (line = '') => process.stdout.write(`${line}\n`);

function url(name: string): string {
  const u = new URL(BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface Variant {
  name: string;
  dueLots: number;
  lotsExpired: number;
  seconds: number;
  lotsPerS: number;
  creditAlone: { n: number; p50Ms: number; p99Ms: number };
  creditDuring: { n: number; p50Ms: number; p99Ms: number };
  p99Ratio: number;
  verifyProblems: number;
  dueLeft: number;
}

async function variant(name: string, sweep: (svc: ReturnType<typeof createServices>, extra: ReturnType<typeof createServices>[]) => Promise<number>): Promise<Variant> {
  const admin = await mysql.createConnection(url(''));
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.end();
  const dbUrl = url(DB);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: dbUrl, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const ds = await openDatabase(dbUrl, { poolSize: 12 });
  const pool = mysql.createPool({ uri: dbUrl, connectionLimit: 2 });
  const seeded = await seedHistory(pool, { members: MEMBERS, progress: (line, done) => process.stdout.write(`\r${line}${done ? '\n' : ''}`) });
  await pool.end();
  const svc = createServices(ds, config, systemClock);
  const others = await Promise.all(Array.from({ length: WORKERS - 1 }, async () => createServices(await openDatabase(dbUrl, { poolSize: 4 }), config, systemClock)));
  const now = Date.now();
  const [[row]] = (await ds.query('SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now]).then((r: unknown) => [r])) as [{ n: unknown }[]];
  const dueLots = Number(row!.n);
  say(`${name}: ${seeded.members.toLocaleString('en')} members seeded in ${(seeded.ms / 1000).toFixed(1)} s, ${dueLots.toLocaleString('en')} lots due`);

  // Clients crediting random members (the locked part of a purchase), timed per transaction.
  let stop = false;
  let label: 'alone' | 'during' | 'off' = 'alone';
  const lat = { alone: [] as number[], during: [] as number[] };
  let serial = 0;
  const client = async () => {
    while (!stop) {
      const member = 1 + Math.floor(Math.random() * MEMBERS);
      const at = label;
      const t0 = performance.now();
      await svc.tx.run(async (m) => {
        const account = await svc.ledger.lockAccount(m, member);
        await svc.ledger.credit(m, account, 1, { code: 'ADJUST', reason: 'bench', actor: 'bench', refType: 'bench', refId: `c${++serial}` });
      });
      if (at !== 'off' && at === label) lat[at].push(performance.now() - t0);
    }
  };
  // One credit first (the rules version is set up on the first write), then the clients, alone for a while.
  label = 'off';
  await svc.tx.run(async (m) => svc.ledger.credit(m, await svc.ledger.lockAccount(m, 1), 1, { code: 'ADJUST', reason: 'bench', actor: 'bench', refType: 'bench', refId: 'warm-up' }));
  label = 'alone';
  const clients = Array.from({ length: CLIENTS }, client);
  if (CLIENTS > 0) await new Promise((r) => setTimeout(r, ALONE_MS));
  label = 'during';
  const t0 = Date.now();
  const expired = await sweep(svc, others);
  const seconds = (Date.now() - t0) / 1000;
  label = 'off';
  stop = true;
  await Promise.all(clients);
  const left = (await ds.query('SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now])) as { n: unknown }[];
  // The old job skips members whose row another transaction holds (SKIP LOCKED) and leaves their lots to the next run.
  const dueLeft = Number(left[0]!.n);
  const problems = (await verifyLedger(svc.tx, { timezone: config.rules.timezone })).problems;
  for (const o of others) await o.tx.ds.destroy();
  await ds.destroy();
  const fig = (xs: number[]) => ({ n: xs.length, p50Ms: Math.round(pct(xs, 50) * 10) / 10, p99Ms: Math.round(pct(xs, 99) * 10) / 10 });
  const v: Variant = {
    name,
    dueLots,
    lotsExpired: expired,
    seconds: Math.round(seconds * 100) / 100,
    lotsPerS: Math.round(expired / seconds),
    creditAlone: fig(lat.alone),
    creditDuring: fig(lat.during),
    p99Ratio: 0,
    verifyProblems: problems.length,
    dueLeft,
  };
  v.p99Ratio = v.creditAlone.p99Ms > 0 ? Math.round((v.creditDuring.p99Ms / v.creditAlone.p99Ms) * 100) / 100 : 0;
  say(`${name}: ${v.lotsExpired.toLocaleString('en')} lots in ${v.seconds} s = ${v.lotsPerS.toLocaleString('en')} lots/s; credit p99 ${v.creditAlone.p99Ms} ms alone, ${v.creditDuring.p99Ms} ms during (×${v.p99Ratio}); verify ${problems.length === 0 ? 'OK' : `${problems.length} problem(s)`}${dueLeft ? `; ${dueLeft} due lots left for the next run` : ''}`);
  return v;
}

async function main(): Promise<void> {
  say(`bench:expiry: ${MEMBERS.toLocaleString('en')} members, database ${DB} (recreated for each variant), ${CLIENTS} crediting clients`);
  const before = ONLY ? null : await variant('lot by lot (before)', async (svc) => (await legacyExpire(svc.ledger, svc.config.rules, svc.clock, svc.coupons)).lotsExpired);
  const after = await variant(`set-based, leased ranges, ${WORKERS} worker(s) (after)`, async (svc, others) => {
    const runs = await Promise.all([svc, ...others].map((s) => s.expiry.run({ actor: 'bench:expiry', batchMembers: BATCH })));
    return runs.reduce((n, r) => n + r.lotsExpired, 0);
  });
  const rows = before ? [before, after] : [after];
  say('');
  say(`${'variant'.padEnd(44)} ${'due lots'.padStart(9)} ${'s'.padStart(7)} ${'lots/s'.padStart(8)} ${'p99 alone'.padStart(10)} ${'p99 during'.padStart(11)} ${'ratio'.padStart(6)}`);
  for (const r of rows) {
    say(`${r.name.padEnd(44)} ${String(r.dueLots).padStart(9)} ${String(r.seconds).padStart(7)} ${String(r.lotsPerS).padStart(8)} ${`${r.creditAlone.p99Ms} ms`.padStart(10)} ${`${r.creditDuring.p99Ms} ms`.padStart(11)} ${`×${r.p99Ratio}`.padStart(6)}`);
  }
  if (before) say(`speed-up: ×${Math.round((after.lotsPerS / Math.max(1, before.lotsPerS)) * 10) / 10}`);
  say(`target: 1,000,000 lots < 60 s (≥ 16,667 lots/s), p99 during < 1.2× alone`);
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'expiry.json'), `${JSON.stringify({ at: new Date().toISOString(), members: MEMBERS, workers: WORKERS, batchMembers: BATCH, variants: rows }, null, 2)}\n`);
  if (rows.some((r) => r.verifyProblems > 0)) process.exit(1);
}

main().catch((e) => {
  process.stderr.write(`bench:expiry: ${(e as Error).stack}\n`);
  process.exit(1);
});
