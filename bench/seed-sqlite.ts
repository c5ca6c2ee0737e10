import { hashPassword } from '../server/src/services/passwords';
import { COLUMNS, historyOf, SEED_TABLES } from './seed-rows';
import { SEED_VERSION, type HistoryStats } from './seed-history';

/**
 * The bench's scale data in a SQLite file (the embedded default; issue 14.6): the same members and history as
 * on MariaDB (seed-rows.ts), written with prepared statements in one transaction per 20,000 members, kept
 * and reused like the MariaDB seed (the `bench_seed` row). The file must already carry the schema (the caller
 * opened it with openDatabase, which runs the migrations). Also the fixtures of seed.ts: two stores, two clerks
 * and an admin (this run's password) and a fresh reward.
 */
const BATCH = 20_000;

/** The little of better-sqlite3 used here (the package ships no types; TypeORM loads the same module). */
interface Statement {
  run(...params: unknown[]): { lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Sqlite {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(p: string): unknown;
  transaction(f: () => void): () => void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => Sqlite;

export function seedSqliteHistory(file: string, members: number): HistoryStats {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS bench_seed (id INTEGER PRIMARY KEY, members INTEGER NOT NULL, version INTEGER NOT NULL, entries INTEGER NOT NULL, lots INTEGER NOT NULL, due_lots INTEGER NOT NULL, ms INTEGER NOT NULL, completed_at INTEGER NULL)');
    const prior = db.prepare('SELECT members, version, entries, lots, due_lots, ms, completed_at FROM bench_seed WHERE id = 1').get() as
      | { members: number; version: number; entries: number; lots: number; due_lots: number; ms: number; completed_at: number | null }
      | undefined;
    if (prior && prior.members === members && prior.version === SEED_VERSION && prior.completed_at !== null) {
      return { members, entries: prior.entries, lots: prior.lots, dueLots: prior.due_lots, ms: prior.ms, membersPerS: Math.round(members / (prior.ms / 1000)), cpuMs: 0, reused: true };
    }
    const n = (db.prepare('SELECT COUNT(*) AS n FROM member').get() as { n: number }).n;
    if (n > 0) throw new Error('seedSqliteHistory: the file holds members from an unfinished or different seed; recreate it (--fresh)');
    db.prepare('REPLACE INTO bench_seed (id, members, version, entries, lots, due_lots, ms, completed_at) VALUES (1, ?, ?, 0, 0, 0, 0, NULL)').run(members, SEED_VERSION);
    const base = db.prepare('SELECT MIN(id) AS id FROM rules_version').get() as { id: number | null } | undefined;
    const rulesVersion = base?.id ?? 1; // the base version: the first there is, or the one the app's first start creates
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const insert = Object.fromEntries(
      SEED_TABLES.map((t) => [t, db.prepare(`INSERT INTO ${t} (${COLUMNS[t].join(', ')}) VALUES (${COLUMNS[t].map(() => '?').join(', ')})`)]),
    );
    const daily = db.prepare(
      'INSERT INTO ledger_daily (day, code, positive, entries, points) VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, code, positive) DO UPDATE SET entries = entries + excluded.entries, points = points + excluded.points',
    );
    let entries = 0;
    let lots = 0;
    let due = 0;
    for (let first = 1; first <= members; first += BATCH) {
      const b = historyOf(first, Math.min(members, first + BATCH - 1), started, rulesVersion);
      db.transaction(() => {
        for (const t of SEED_TABLES) {
          for (const line of b.text[t].toString('utf8').split('\n')) {
            if (line) insert[t]!.run(line.split('\t').map((v) => (v === '\\N' ? null : /^-?\d+$/.test(v) ? Number(v) : v)));
          }
        }
        for (const [k, [count, sum]] of b.daily) {
          const [code, day] = k.split('|') as [string, string];
          daily.run(day, code, sum > 0 ? 1 : 0, count, sum);
        }
      })();
      entries += b.rows.ledger_entry;
      lots += b.rows.points_lot;
      due += b.due;
    }
    db.prepare("UPDATE rollup_watermark SET last_id = (SELECT COALESCE(MAX(id), 0) FROM ledger_entry), updated_at = ? WHERE name = 'ledger_daily'").run(Date.now());
    db.prepare("UPDATE rollup_total SET last_id = (SELECT COALESCE(MAX(id), 0) FROM member), value = (SELECT COUNT(*) FROM member), updated_at = ? WHERE name = 'members'").run(Date.now());
    db.prepare('DELETE FROM member_debt').run();
    db.prepare('INSERT INTO member_debt (member_id, debt) SELECT member_id, debt FROM member_account WHERE debt > 0').run();
    const ms = Date.now() - started;
    db.prepare('UPDATE bench_seed SET entries = ?, lots = ?, due_lots = ?, ms = ?, completed_at = ? WHERE id = 1').run(entries, lots, due, ms, Date.now());
    const c = process.cpuUsage(cpu0);
    return { members, entries, lots, dueLots: due, ms, membersPerS: Math.round(members / (ms / 1000)), cpuMs: Math.round((c.user + c.system) / 1000), reused: false, method: 'insert' };
  } finally {
    db.close();
  }
}

export async function seedSqliteFixtures(file: string, o: { rewardStock: number; rewardPrice: number; clerkPassword: string }) {
  const hash = await hashPassword(o.clerkPassword);
  const db = new Database(file);
  try {
    const now = Date.now();
    db.exec("INSERT OR IGNORE INTO store (code, name) VALUES ('A', '国贸旗舰店'), ('B', '三里屯店')");
    const stores = db.prepare("SELECT id FROM store WHERE code IN ('A', 'B') ORDER BY code").all() as { id: number }[];
    const staff = db.prepare('INSERT INTO staff (username, password_hash, role, store_id, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash');
    staff.run('bench-clerk-a', hash, 'clerk', stores[0]!.id, now);
    staff.run('bench-clerk-b', hash, 'clerk', stores[1]!.id, now);
    staff.run('bench-admin', hash, 'admin', null, now);
    const reward = db
      .prepare('INSERT INTO reward (title, description, image_url, points_price, stock, min_tier, per_member_limit, starts_at, ends_at, active, sort_order, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, 1, 0, ?)')
      .run('压测咖啡券', 'bench', '/rewards/coffee.svg', o.rewardPrice, o.rewardStock, now);
    return {
      clerks: ['bench-clerk-a', 'bench-clerk-b'].map((username) => ({ username, password: o.clerkPassword })),
      admin: { username: 'bench-admin', password: o.clerkPassword },
      rewardId: Number(reward.lastInsertRowid),
    };
  } finally {
    db.close();
  }
}
