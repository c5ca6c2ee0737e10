import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { systemClock } from '../server/src/clock';

/**
 * `npm run bench:reads -- --db jifen_seed_1000000 [--rounds 5] [--lots 10000]`: the two read paths of issue 14
 * on a seeded MariaDB database (npm run bench:seed), in process, wall clock per call: the health report
 * (ReportsService.health, what GET /api/v1/reports/points-health serves) and GET /me (MembersService.me) for
 * the database's last member, first given `--lots` lots of one point each (with their ledger entries, so the
 * invariants and `npm run verify` still hold; done once, kept for later runs). Prints each round and the median.
 */
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dbName = flag('db') ?? 'jifen_seed_1000000';
if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error('--db: letters, digits, underscore');
const rounds = Number(flag('rounds') ?? 5);
const lots = Number(flag('lots') ?? 10_000);
const base = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const say = (l = '') => process.stdout.write(`${l}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Gives the member `lots` open lots of one point each, entries included (one transaction, multi-row inserts). */
async function giveLots(pool: mysql.Pool, memberId: number, want: number): Promise<void> {
  const [[c]] = (await pool.query('SELECT COUNT(*) AS n FROM points_lot WHERE member_id = ?', [memberId])) as unknown as [[{ n: number }]];
  const missing = want - Number(c!.n);
  if (missing <= 0) return;
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [[a]] = (await conn.query('SELECT balance FROM member_account WHERE member_id = ? FOR UPDATE', [memberId])) as unknown as [[{ balance: number }]];
    let balance = Number(a!.balance);
    const now = Date.now() - 60_000;
    for (let done = 0; done < missing; done += 1000) {
      const n = Math.min(1000, missing - done);
      const entries: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        balance += 1;
        entries.push([memberId, 'ADJUST', 1, balance, 'bench', `reads-${done + i}`, 'bench:reads lot', 'bench', now - (missing - done - i) * 1000]);
      }
      const [r] = (await conn.query('INSERT INTO ledger_entry (member_id, code, delta, balance_after, ref_type, ref_id, reason, actor, created_at) VALUES ?', [entries])) as unknown as [{ insertId: number }];
      const first = Number(r.insertId);
      const rows = entries.map((e, i) => {
        const at = Number(e[8]);
        return [memberId, first + i, 1, 1, at, at, now + (30 + ((done + i) % 365)) * 86_400_000];
      });
      await conn.query('INSERT INTO points_lot (member_id, entry_id, amount, remaining, earned_at, activates_at, expires_at) VALUES ?', [rows]);
    }
    await conn.query('UPDATE member_account SET balance = ?, version = version + 1 WHERE member_id = ?', [balance, memberId]);
    await conn.commit();
    say(`reads: member ${memberId} given ${missing} lots (now ${want})`);
  } finally {
    conn.release();
  }
}

async function main(): Promise<void> {
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const pool = mysql.createPool({ uri: u.toString(), connectionLimit: 2 });
  const [[last]] = (await pool.query('SELECT MAX(member_id) AS id FROM member_account')) as unknown as [[{ id: number }]];
  const memberId = Number(last!.id);
  await giveLots(pool, memberId, lots);
  await pool.end();
  process.env.DATABASE_URL = u.toString();
  const config = loadConfig();
  const ds = await openDatabase(config.databaseUrl, { poolSize: 8 });
  const s = createServices(ds, config, systemClock);
  try {
    await s.reports.health({}); // warm: catches the rollups up, fills the pool and InnoDB's cache
    await s.members.me(memberId);
    const health: number[] = [];
    const me: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      await s.reports.health({});
      health.push(Math.round(performance.now() - t));
      t = performance.now();
      await s.members.me(memberId);
      me.push(Math.round((performance.now() - t) * 10) / 10);
    }
    say(`reads on ${dbName}: health report ${health.join(', ')} ms (median ${median(health)}, best ${Math.min(...health)}); GET /me with ${lots} lots ${me.join(', ')} ms (median ${median(me)}, best ${Math.min(...me)})`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
