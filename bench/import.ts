import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { createApp } from '../server/src/app';
import { createLogger } from '../server/src/logger';
import { systemClock } from '../server/src/clock';
import { hashPassword } from '../server/src/services/passwords';
import { verifyLedger } from '../server/src/services/verify.service';

/**
 * `npm run bench:import` (issue 9 item 5), MariaDB only, never part of `npm test`: seeds BENCH_IMPORT_MEMBERS
 * members (every other one with a phone), uploads a CSV of BENCH_IMPORT_ROWS rows (one per member, half by
 * phone and half by member number) over HTTP to the real app, times the preview and the commit (target:
 * 10,000 rows in under 30 s), checks verifyLedger, and times the member searches at that size with the
 * index each one uses (EXPLAIN). Figures go to bench/results/import-latest.json.
 */
const LIMITS = { membersMax: 2_000_000, rowsMax: 10_000 };
const SEED_BATCH = 2000;
const DB_NAME = 'jifen_bench_import';

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    process.stderr.write(`bench: ${name} must be an integer in ${min}..${max}\n`);
    process.exit(2);
  }
  return v;
}

const members = envInt('BENCH_IMPORT_MEMBERS', 100_000, 10_000, LIMITS.membersMax);
const rows = envInt('BENCH_IMPORT_ROWS', 10_000, 1, LIMITS.rowsMax);
const baseUrl = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const say = (s = '') => process.stdout.write(`${s}\n`);
const phoneOf = (id: number) => `139${String(id).padStart(8, '0')}`;

async function main(): Promise<void> {
  const root = await mysql.createConnection(baseUrl);
  await root.query(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
  await root.end();
  const u = new URL(baseUrl);
  u.pathname = `/${DB_NAME}`;
  const url = u.toString();
  const ds = await openDatabase(url, { poolSize: 10 });
  const pool = mysql.createPool({ uri: url, connectionLimit: 4 });
  try {
    const seedStarted = Date.now();
    const now = Date.now();
    for (let first = 1; first <= members; first += SEED_BATCH) {
      const ids = Array.from({ length: Math.min(SEED_BATCH, members - first + 1) }, (_, i) => first + i);
      await pool.query('INSERT INTO member (id, openid, nickname, phone, phone_bound_at, created_at) VALUES ?', [
        ids.map((id) => [id, `o_bench_${id}`, `会员${id}`, id % 2 === 0 ? phoneOf(id) : null, id % 2 === 0 ? now : null, now]),
      ]);
      await pool.query('INSERT INTO member_account (member_id, balance, debt, version, last_checkin_day, checkin_streak, updated_at) VALUES ?', [ids.map((id) => [id, 0, 0, 0, null, 0, now])]);
    }
    await pool.query('INSERT INTO staff (username, password_hash, role, store_id, disabled, session_version, created_at) VALUES (?, ?, ?, NULL, 0, 0, ?)', ['bench-admin', await hashPassword('bench-pass-1234'), 'admin', now]);
    const seedMs = Date.now() - seedStarted;
    say(`seeded ${members} members in ${seedMs} ms`);

    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
    const services = createServices(ds, config, systemClock);
    const server = http.createServer(createApp(services, createLogger('silent')).callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const login = await fetch(`${api}/auth/staff`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password: 'bench-pass-1234' }) });
    const token = ((await login.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };

    // One row per member, spread over the member range, half by phone and half by member number.
    const step = Math.max(1, Math.floor(members / rows));
    const lines = ['\ufeff手机号或会员号,积分,原因'];
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const id = 1 + i * step;
      const points = 1 + (i % 500);
      total += points;
      lines.push(`${id % 2 === 0 ? phoneOf(id) : String(id).padStart(6, '0')},${points},"春季会员日补发, 批次 ${i}"`);
    }
    const csv = lines.join('\r\n');
    let t0 = Date.now();
    const pres = await fetch(`${api}/admin/adjustments/imports?name=bench.csv`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
    const preview = (await pres.json()) as { id: number; valid: number; invalid: unknown[]; totalPoints: number };
    const previewMs = Date.now() - t0;
    say(`preview: HTTP ${pres.status}, ${preview.valid} valid, ${preview.invalid.length} invalid, ${preview.totalPoints} points (expected ${total}) in ${previewMs} ms (${Buffer.byteLength(csv)} bytes)`);
    if (preview.valid !== rows || preview.totalPoints !== total) throw new Error('preview does not match the file');

    t0 = Date.now();
    const cres = await fetch(`${api}/admin/adjustments/imports/${preview.id}/commit`, { method: 'POST', headers: auth });
    const commit = (await cres.json()) as { applied: number; failed: number };
    const commitMs = Date.now() - t0;
    say(`commit: HTTP ${cres.status}, applied ${commit.applied}, failed ${commit.failed} in ${commitMs} ms (${services.adjustmentImports.batchRows} rows per batch)`);
    if (commit.applied !== rows) throw new Error('commit did not apply every row');

    t0 = Date.now();
    const report = await verifyLedger(ds);
    say(`verify: ${report.problems.length} problems over ${report.membersChecked} members in ${Date.now() - t0} ms`);
    if (report.problems.length) throw new Error(report.problems.slice(0, 5).join('\n'));

    // Searches at this size: each reading with the index MariaDB picks for it.
    const mid = Math.floor(members / 2) * 2; // an even id: has a phone
    const searches: Record<string, { q: string; ms: number; hits: number }> = {};
    for (const [name, q] of [
      ['phone', phoneOf(mid)],
      ['member number', String(mid - 1).padStart(6, '0')],
      ['openid', `o_bench_${mid}`],
      ['nickname prefix', `会员${String(mid).slice(0, 3)}`],
      ['newest (no q)', ''],
    ] as const) {
      const s0 = process.hrtime.bigint();
      const res = await fetch(`${api}/admin/members?q=${encodeURIComponent(q)}`, { headers: auth });
      const body = (await res.json()) as { members: unknown[] };
      searches[name] = { q, ms: Number(process.hrtime.bigint() - s0) / 1e6, hits: body.members.length };
      say(`search by ${name} "${q}": ${body.members.length} hits in ${searches[name]!.ms.toFixed(1)} ms`);
    }
    const explain: Record<string, string> = {};
    for (const [name, sql, params] of [
      ['phone', 'EXPLAIN SELECT * FROM member WHERE phone = ?', [phoneOf(mid)]],
      ['openid', 'EXPLAIN SELECT * FROM member WHERE openid = ?', [`o_bench_${mid}`]],
      ['member number', 'EXPLAIN SELECT * FROM member WHERE id = ?', [mid]],
      ['nickname prefix', "EXPLAIN SELECT * FROM member WHERE nickname LIKE ? ESCAPE '!' ORDER BY nickname, id LIMIT 21", [`会员${String(mid).slice(0, 3)}%`]],
    ] as const) {
      const [plan] = (await pool.query(sql, params as unknown as string[])) as unknown as [{ key: string | null; type: string; rows: number }[]];
      explain[name] = `${plan[0]!.type} via ${plan[0]!.key} (~${plan[0]!.rows} rows examined)`;
      say(`explain ${name}: ${explain[name]}`);
    }
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    const out = { at: new Date().toISOString(), members, rows, seedMs, previewMs, commitMs, commitTargetMs: 30_000, searches, explain };
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results/import-latest.json'), `${JSON.stringify(out, null, 2)}\n`);
    say(commitMs < 30_000 ? `OK: ${rows} rows committed in ${(commitMs / 1000).toFixed(1)} s (< 30 s)` : `SLOW: ${rows} rows took ${(commitMs / 1000).toFixed(1)} s`);
    if (commitMs >= 30_000) process.exitCode = 1;
  } finally {
    await pool.end();
    await ds.destroy();
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
