import 'reflect-metadata';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { systemClock } from '../server/src/clock';
import { WriteBatch } from '../server/src/db/write-batch';
import { seedHistory } from './seed-history';

/**
 * `npm run bench:expiry-profile -- [members] [batchMembers]` (MariaDB; never part of `npm test`): seeds a fresh
 * database `jifen_prof_expiry` as bench:expiry does, runs the expiry job once and prints where the time went:
 * every statement sent on the mysql2 connections (grouped by its text; a multi-statement query counts once),
 * and the whole of each WriteBatch flush. The figures in docs/design-jobs.md ("Three round trips a batch").
 */
const MEMBERS = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 200);
const BASE = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const DB = 'jifen_prof_expiry';
const times = new Map<string, { n: number; ms: number }>();
const note = (key: string, ms: number) => {
  const e = times.get(key) ?? { n: 0, ms: 0 };
  e.n += 1;
  e.ms += ms;
  times.set(key, e);
};

// The callback query of mysql2's connection, which TypeORM and write-batch.ts both end in (not in the package's exports).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const BaseConn = require(path.join(path.dirname(require.resolve('mysql2')), 'lib/base/connection.js'));
const query = BaseConn.prototype.query;
BaseConn.prototype.query = function (this: unknown, sql: unknown, values: unknown, cb: unknown) {
  // query(sql | { sql }, values?, cb): TypeORM passes an object and no values, write-batch.ts a string and values.
  const done = typeof values === 'function' ? values : cb;
  const text = typeof sql === 'string' ? sql : (sql as { sql?: unknown } | null)?.sql;
  if (typeof done !== 'function' || typeof text !== 'string') return query.call(this, sql, values, cb);
  const t0 = performance.now();
  const key = text.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 100);
  const timed = (err: unknown, res: unknown, fields: unknown) => {
    note(key, performance.now() - t0);
    (done as (...a: unknown[]) => void)(err, res, fields);
  };
  return typeof values === 'function' ? query.call(this, sql, timed) : query.call(this, sql, values, timed);
};
const flush = WriteBatch.prototype.flush;
WriteBatch.prototype.flush = async function (this: WriteBatch) {
  const t0 = performance.now();
  try {
    return await flush.call(this);
  } finally {
    note('[WriteBatch.flush, whole]', performance.now() - t0);
  }
};

async function main(): Promise<void> {
  const admin = await mysql.createConnection(`${BASE}/`);
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.end();
  const url = `${BASE}/${DB}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const ds = await openDatabase(url, { poolSize: 4 });
  const pool = mysql.createPool({ uri: url, connectionLimit: 2 });
  await seedHistory(pool, { members: MEMBERS });
  await pool.end();
  const svc = createServices(ds, config, systemClock);
  times.clear();
  const t0 = performance.now();
  const r = await svc.expiry.run({ batchMembers: BATCH });
  const total = performance.now() - t0;
  process.stdout.write(`${MEMBERS} members, batches of ${BATCH}: ${r.lotsExpired} lots in ${r.batches} batches, ${Math.round(total)} ms = ${Math.round((r.lotsExpired / total) * 1000)} lots/s\n`);
  process.stdout.write('     ms calls statement\n');
  for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) process.stdout.write(`${Math.round(v.ms).toString().padStart(7)} ${String(v.n).padStart(5)} ${k}\n`);
  await ds.destroy();
}

main().catch((e) => {
  process.stderr.write(`bench:expiry-profile: ${(e as Error).stack}\n`);
  process.exit(1);
});
