import 'reflect-metadata';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import mysql from 'mysql2/promise';
import { openDatabase } from '../server/src/db/data-source';
import { verifyLedger } from '../server/src/services/verify.service';
import { seedHistory, type SeedMethod } from './seed-history';
import { benchDatabase, dbNameFlag, flag, hasFlag, intFlag } from './args';

/**
 * `npm run bench:seed -- --members 100000 [--db jifen_seed_100000] [--fresh] [--method infile|insert] [--defer-indexes] [--workers 2]
 * [--verify]`: the bench's seeding alone (issue 14.5), measured: wall clock, members/s, CPU time of this process
 * (the generator) and of MariaDB's process (its whole CPU: anything else it serves meanwhile counts too), the
 * load and index-build phases; then what the data takes on disk per table (information_schema.TABLES, after
 * ANALYZE) and per member, for sizing InnoDB's buffer pool (docs/deploy.md). Uses its own database name so
 * it never touches one a running `npm run bench` uses.
 */
const members = intFlag('members', 100_000, 100, 2_000_000);
const dbName = dbNameFlag(`jifen_seed_${members}`);
const method = flag('method') as SeedMethod | undefined;
const base = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const say = (l = '') => process.stdout.write(`${l}\n`);

/** CPU seconds used so far by MariaDB's server process (Linux /proc), or null where that cannot be read. */
function mariadbCpuMs(): number | null {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    }
  } catch {
    /* not Linux, or not readable */
  }
  return null;
}

/** InnoDB's buffer pool counters (server-wide): logical page requests, those that had to read from disk. */
async function poolReads(pool: mysql.Pool): Promise<{ requests: number; reads: number; readAhead: number; size: number }> {
  const [rows] = (await pool.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads', 'Innodb_buffer_pool_read_ahead')")) as unknown as [{ Variable_name: string; Value: string }[]];
  const [[size]] = (await pool.query('SELECT @@innodb_buffer_pool_size AS s')) as unknown as [[{ s: number }]];
  const v = (n: string) => Number(rows.find((r) => r.Variable_name === n)?.Value ?? 0);
  return { requests: v('Innodb_buffer_pool_read_requests'), reads: v('Innodb_buffer_pool_reads'), readAhead: v('Innodb_buffer_pool_read_ahead'), size: Number(size!.s) };
}

async function main(): Promise<void> {
  const url = await benchDatabase(base, dbName);
  const ds = await openDatabase(url, { poolSize: 2 }); // the migrations
  const pool = mysql.createPool({ uri: url, connectionLimit: 8 });
  try {
    say(`seed: ${members} members into ${dbName}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
    const db0 = mariadbCpuMs();
    const tty = process.stdout.isTTY;
    const s = await seedHistory(pool, { members, method, deferIndexes: hasFlag('defer-indexes'), workers: Number(flag('workers') ?? 2), progress: (l, done) => process.stdout.write(tty ? `\r${l}${done ? '\n' : ''}` : `${l}\n`) });
    const db1 = mariadbCpuMs();
    if (s.reused) say(`seed: reused (seeded earlier in ${s.ms} ms, ${s.membersPerS}/s); --fresh to measure again`);
    else {
      say(`seed: ${s.members} members, ${s.entries} entries, ${s.lots} lots (${s.dueLots} due) by ${s.method}${s.indexMs ? ' with indexes deferred' : ''}`);
      say(`  wall ${(s.ms / 1000).toFixed(1)} s = load ${((s.loadMs ?? 0) / 1000).toFixed(1)} s + indexes ${((s.indexMs ?? 0) / 1000).toFixed(1)} s ${JSON.stringify(s.indexMsByTable ?? {})}`);
      say(`  ${s.membersPerS.toLocaleString('en')} members/s wall clock; generator CPU ${(s.cpuMs / 1000).toFixed(1)} s (${Math.round(s.members / (s.cpuMs / 1000)).toLocaleString('en')} members per CPU-second)` +
        (db0 !== null && db1 !== null ? `; MariaDB CPU ${((db1 - db0) / 1000).toFixed(1)} s (all its clients)` : ''));
      say(`  load average ${os.loadavg()[0]!.toFixed(1)} at end`);
    }
    await pool.query(`ANALYZE TABLE member, member_account, ledger_entry, points_lot, lot_movement, ledger_daily`);
    const [sizes] = (await pool.query(
      'SELECT TABLE_NAME AS t, TABLE_ROWS AS r, DATA_LENGTH AS d, INDEX_LENGTH AS i FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND DATA_LENGTH + INDEX_LENGTH > 65536 ORDER BY DATA_LENGTH + INDEX_LENGTH DESC',
    )) as unknown as [{ t: string; r: number; d: number; i: number }[]];
    const mib = (b: number) => (b / 1048576).toFixed(1);
    let d = 0;
    let i = 0;
    say('sizes (information_schema.TABLES, after ANALYZE TABLE):');
    for (const r of sizes) {
      d += Number(r.d);
      i += Number(r.i);
      say(`  ${r.t.padEnd(16)} ~${String(r.r).padStart(9)} rows  data ${mib(Number(r.d)).padStart(7)} MiB  index ${mib(Number(r.i)).padStart(7)} MiB`);
    }
    say(`  total data ${mib(d)} MiB + index ${mib(i)} MiB = ${mib(d + i)} MiB; ${Math.round((d + i) / members)} bytes per member`);
    if (hasFlag('verify')) {
      const t0 = Date.now();
      const b0 = await poolReads(pool);
      const v = await verifyLedger(ds, { timezone: 'Asia/Shanghai' });
      const b1 = await poolReads(pool);
      const requests = b1.requests - b0.requests;
      const misses = b1.reads - b0.reads;
      say(v.problems.length === 0 ? `verify: ${v.membersChecked} members OK in ${Date.now() - t0} ms` : `verify: ${v.problems.slice(0, 10).join('\n  ')}`);
      say(`  buffer pool during verify: ${requests} page requests, ${misses} read from disk on demand (${((misses / Math.max(1, requests)) * 100).toFixed(2)} % missed) and ${b1.readAhead - b0.readAhead} by read-ahead (server-wide counters, other clients included); pool ${(b1.size / 1048576).toFixed(0)} MiB`);
      if (v.problems.length) process.exitCode = 1;
    }
  } finally {
    await pool.end();
    await ds.destroy();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:seed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
