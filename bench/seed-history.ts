import { Readable } from 'node:stream';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { COLUMNS, historyOf, SEED_TABLES, toValues, type Batch } from './seed-rows';
import { addIndexes, dropIndexes, secondaryIndexes } from './seed-indexes';

/**
 * Scale data for the bench (issue 14.5): members 1..N with their history (seed-rows.ts), loaded fast:
 *  - LOAD DATA LOCAL INFILE of generated tab-separated text (written straight into buffers), streamed from
 *    memory (mysql2's infileStreamFactory), one statement per table per batch of 20,000 members; multi-row
 *    INSERTs where the server refuses LOCAL;
 *  - on request (deferIndexes), the secondary indexes dropped first and built after by sorting (seed-indexes.ts).
 *    Not the default: measured at 1M members (2 shared CPUs, 128 MiB buffer pool) it was slower, 159 s against
 *    113 s, since ids arrive in order and most secondary keys lead with member_id, so the B-trees grow at
 *    their right edge either way; the sort then costs 29 s on top;
 *  - unique and foreign-key checks off for the loading sessions, binary logging off where permitted;
 *  - the next batch generated while the previous ones load (two connections in flight).
 * The result satisfies every ledger invariant (`npm run verify`).
 *
 * Where the time goes (1M members, 2 CPUs shared with other work): the generator about 9 s of CPU
 * (≈ 110,000 members per CPU-second), MariaDB about 60-75 s of CPU (≈ 15,000 members per CPU-second: six rows
 * a member with eleven secondary indexes), so MariaDB bounds the rate; 73-106 s wall clock measured at a load
 * average of 8-12 (9,400-13,800 members/s). `npm run bench:seed` measures it.
 *
 * The database is kept: a `bench_seed` row records what was seeded and that it finished, and the next run
 * with the same member count reuses it (seconds instead of minutes). The daily rollups are written with
 * each batch and the watermark set at the end, as the catch-up job would have left them.
 */
export const SEED_VERSION = 1;
const MEMBERS_PER_BATCH = 20_000;

export type SeedMethod = 'infile' | 'insert';

export interface HistoryStats {
  members: number;
  entries: number;
  lots: number;
  dueLots: number;
  ms: number;
  membersPerS: number;
  /** CPU time of the seeding process (the generator's share; MariaDB's is not counted): on a shared machine the
   * wall-clock rate says more about the neighbours than about the seeder. */
  cpuMs: number;
  reused: boolean;
  method?: SeedMethod;
  /** Of `ms`: loading the rows, then building the secondary indexes set aside (per table). */
  loadMs?: number;
  indexMs?: number;
  indexMsByTable?: Record<string, number>;
}

/** The text in 1 MiB pieces: mysql2 sends each piece as one packet, and max_allowed_packet bounds a packet. */
export function* chunks(b: Buffer, size = 1 << 20): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function loadTable(conn: PoolConnection, method: SeedMethod, table: keyof typeof COLUMNS, text: Buffer): Promise<void> {
  if (!text.length) return;
  const cols = COLUMNS[table].join(', ');
  if (method === 'insert') {
    await conn.query(`INSERT INTO ${table} (${cols}) VALUES ${toValues(text)}`);
    return;
  }
  await conn.query({
    sql: `LOAD DATA LOCAL INFILE 'bench-${table}.tsv' INTO TABLE ${table} CHARACTER SET utf8mb4 (${cols})`,
    infileStreamFactory: () => Readable.from(chunks(text)),
  } as unknown as string);
}

async function writeBatch(conn: PoolConnection, method: SeedMethod, b: Batch): Promise<void> {
  await conn.query('START TRANSACTION');
  for (const table of SEED_TABLES) await loadTable(conn, method, table, b.text[table]);
  // The daily rollups (issue 14.4) of what this batch wrote; the watermark moves once all batches are in.
  const daily = [...b.daily].map(([k, [n, sum]]) => {
    const [code, day] = k.split('|') as [string, string];
    return `('${day}','${code}',${sum > 0 ? 1 : 0},${n},${sum})`;
  });
  await conn.query(`INSERT INTO ledger_daily (day, code, positive, entries, points) VALUES ${daily.join(',')} ON DUPLICATE KEY UPDATE entries = entries + VALUES(entries), points = points + VALUES(points)`);
  await conn.query('COMMIT');
}

/** LOAD DATA LOCAL works only when the server allows it (local_infile); otherwise multi-row INSERTs. */
async function pickMethod(pool: Pool, wanted?: SeedMethod): Promise<SeedMethod> {
  if (wanted) return wanted;
  const [rows] = (await pool.query('SELECT @@local_infile AS v')) as unknown as [{ v: number | string }[]];
  return String(rows[0]!.v) === '1' || String(rows[0]!.v).toUpperCase() === 'ON' ? 'infile' : 'insert';
}

/** The id of the base rules version: the first there is, or 1, which the app's first start will create. */
async function baseRulesVersion(pool: Pool): Promise<number> {
  const [rows] = (await pool.query('SELECT MIN(id) AS id FROM rules_version')) as unknown as [{ id: number | null }[]];
  return rows[0]?.id ? Number(rows[0].id) : 1;
}

export interface SeedOptions {
  members: number;
  /** Writes a progress line now and then. */
  progress?: (line: string, done: boolean) => void;
  /** Default: LOAD DATA LOCAL when the server allows it. */
  method?: SeedMethod;
  /** Batches in flight, each on its own connection (default 2). */
  workers?: number;
  /** Default false: drop the loaded tables' secondary indexes first and build them after (slower, measured). */
  deferIndexes?: boolean;
}

/** Reuses a finished seed of the same size, or (re)writes members 1..N with their history. */
export async function seedHistory(pool: Pool, o: SeedOptions): Promise<HistoryStats> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_seed (id INT PRIMARY KEY, members INT NOT NULL, version INT NOT NULL, entries INT NOT NULL, lots INT NOT NULL, due_lots INT NOT NULL, ms INT NOT NULL, completed_at BIGINT NULL)');
  const [rows] = (await pool.query('SELECT members, version, entries, lots, due_lots, ms, completed_at FROM bench_seed WHERE id = 1')) as unknown as [
    { members: number; version: number; entries: number; lots: number; due_lots: number; ms: number; completed_at: number | null }[],
  ];
  const prior = rows[0];
  if (prior && prior.members === o.members && prior.version === SEED_VERSION && prior.completed_at !== null) {
    return { members: prior.members, entries: prior.entries, lots: prior.lots, dueLots: prior.due_lots, ms: prior.ms, membersPerS: Math.round(prior.members / (prior.ms / 1000)), cpuMs: 0, reused: true };
  }
  const [[count]] = (await pool.query('SELECT COUNT(*) AS n FROM member')) as unknown as [[{ n: number }]];
  if (Number(count!.n) > 0) throw new Error('seedHistory: the database holds members from an unfinished or different seed; recreate it (the bench does with --fresh)');
  await pool.query('REPLACE INTO bench_seed (id, members, version, entries, lots, due_lots, ms, completed_at) VALUES (1, ?, ?, 0, 0, 0, 0, NULL)', [o.members, SEED_VERSION]);

  const method = await pickMethod(pool, o.method);
  const rulesVersion = await baseRulesVersion(pool);
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const deferred = o.deferIndexes !== true ? [] : await secondaryIndexes(pool, SEED_TABLES);
  await dropIndexes(pool, deferred);
  const now = started;
  let next = 1;
  let done = 0;
  let entries = 0;
  let lots = 0;
  let due = 0;
  let lastReport = 0;
  const report = (phase: string, final = false) => {
    const t = Date.now();
    if (!o.progress || (!final && t - lastReport < 1000)) return;
    lastReport = t;
    const rate = done / Math.max(0.001, (t - started) / 1000);
    const width = 30;
    const filled = Math.round((done / o.members) * width);
    o.progress(
      `seed: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${o.members.toLocaleString('en')} members, ${Math.round(rate).toLocaleString('en')}/s${phase}`,
      final,
    );
  };
  const worker = async () => {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
      await conn.query('SET SESSION sql_log_bin = 0').catch(() => undefined); // needs SUPER/BINLOG ADMIN; harmless without
      for (;;) {
        const first = next;
        if (first > o.members) return;
        const last = Math.min(o.members, first + MEMBERS_PER_BATCH - 1);
        next = last + 1;
        const b = historyOf(first, last, now, rulesVersion);
        await writeBatch(conn, method, b);
        done += last - first + 1;
        entries += b.rows.ledger_entry;
        lots += b.rows.points_lot;
        due += b.due;
        const eta = Math.round((o.members - done) / (done / ((Date.now() - started) / 1000)));
        report(`, ETA ${eta} s${deferred.length ? ' + indexes' : ''}`);
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: o.workers ?? 2 }, worker));
  const loadMs = Date.now() - started;
  report(deferred.length ? `; building ${deferred.length} indexes...` : '', !deferred.length);
  const indexStarted = Date.now();
  const indexMsByTable = deferred.length ? await addIndexes(pool, deferred) : {};
  const indexMs = Date.now() - indexStarted;
  if (deferred.length) report(`; ${deferred.length} indexes built in ${(indexMs / 1000).toFixed(1)} s`, true);
  await pool.query("UPDATE rollup_watermark SET last_id = (SELECT COALESCE(MAX(id), 0) FROM ledger_entry), updated_at = ? WHERE name = 'ledger_daily'", [Date.now()]);
  // The account rollups (member count and debts) as the migration fills them, for the seeded members.
  await pool.query("UPDATE rollup_total t JOIN (SELECT COALESCE(MAX(id), 0) AS hi, COUNT(*) AS n FROM member) x SET t.last_id = x.hi, t.value = x.n, t.updated_at = ? WHERE t.name = 'members'", [Date.now()]);
  await pool.query('DELETE FROM member_debt');
  await pool.query('INSERT INTO member_debt (member_id, debt) SELECT member_id, debt FROM member_account WHERE debt > 0');
  const ms = Date.now() - started;
  await pool.query('UPDATE bench_seed SET entries = ?, lots = ?, due_lots = ?, ms = ?, completed_at = ? WHERE id = 1', [entries, lots, due, ms, Date.now()]);
  return { members: o.members, entries, lots, dueLots: due, ms, membersPerS: Math.round(o.members / (ms / 1000)), cpuMs: cpuMsSince(cpu0), reused: false, method, loadMs, indexMs, indexMsByTable };
}

function cpuMsSince(c: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c);
  return Math.round((d.user + d.system) / 1000);
}
