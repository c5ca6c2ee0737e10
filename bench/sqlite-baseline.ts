import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, lotExpiresAt, purchaseBase } from '@jifen/shared';
import { bucketUpsertSql, monthOf } from '../server/src/services/qualifying-months';
import { addReward, addStoresAndStaff, grantPoints, loginMember, staffToken, startTestApp } from '../test/server/helpers';
import { runPool, type PhaseFigures } from './load';

/**
 * `npm run bench:sqlite-baseline` (issue 14.6): the embedded default measured the way bench/run.ts measures MariaDB, but
 * smaller and in one process (SQLite has one writer; the app and the load share the event loop):
 *  (a) purchases over HTTP, each with a fresh member code, members round-robin;
 *  (b) redemptions on one hot member;
 *  (c) the raw baseline: the same ledger writes per purchase by hand on the app's own better-sqlite3 connection.
 * Statements are counted on the app's SQLite query runner. BENCH_PURCHASES, BENCH_REDEMPTIONS, BENCH_CONCURRENCY.
 */
const N = Math.min(5_000, Number(process.env.BENCH_PURCHASES ?? 600));
const R = Math.min(5_000, Number(process.env.BENCH_REDEMPTIONS ?? 600));
const C = Math.min(128, Number(process.env.BENCH_CONCURRENCY ?? 32));
const MEMBERS = 50;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jifen-bench-sqlite-'));
  const t = await startTestApp({ db: { url: () => `sqlite:${path.join(dir, 'bench.sqlite')}` } });
  try {
    await addStoresAndStaff(t);
    const clerk = await staffToken(t, 'clerk-a');
    const members: { token: string; id: number }[] = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await loginMember(t, `bench${i}`));
    const codes: string[] = [];
    for (let k = 0; k < N; k++) codes.push((await t.request('GET', '/api/v1/me/code', { token: members[k % MEMBERS]!.token })).body.code);
    const hot = await loginMember(t, 'hot');
    await grantPoints(t, hot.id, R * 10);
    const reward = await addReward(t, { title: '压测咖啡券', pointsPrice: 10, stock: R * 2 });

    let statements = 0;
    const runner = t.ds.driver.createQueryRunner('master'); // better-sqlite3: one runner for every query
    const query = runner.query.bind(runner);
    runner.query = ((...a: Parameters<typeof query>) => {
      statements += 1;
      return query(...a);
    }) as typeof runner.query;
    const db = (t.ds.driver as unknown as { databaseConnection: { prepare(sql: string): { run(...p: unknown[]): { lastInsertRowid: number | bigint }; get(...p: unknown[]): any } } }).databaseConnection;

    const phase = async (name: string, n: number, op: (k: number) => Promise<true | string>): Promise<{ f: PhaseFigures; perReq: number }> => {
      statements = 0;
      const f = await runPool(n, C, Date.now() + 60_000, op);
      const perReq = Math.round((statements / Math.max(1, f.requests)) * 10) / 10;
      process.stdout.write(`${name.padEnd(28)} ${f.requests} req  ${f.throughputPerS.toFixed(1)} req/s  p50 ${f.p50Ms.toFixed(2)} ms  p99 ${f.p99Ms.toFixed(2)} ms  errors ${f.errors}${f.errors ? ` ${JSON.stringify(f.errorSamples)}` : ''}  statements ${perReq}/req\n`);
      return { f, perReq };
    };
    const purchases = await phase('(a) purchases (HTTP)', N, async (k) => {
      const res = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: codes[k], orderNo: `S-${k}`, amountFen: 1000 + ((k * 7919) % 49_000) } });
      return res.status === 201 ? true : `${res.status} ${res.body?.error?.code}`;
    });
    const redemptions = await phase('(b) redemptions, 1 member', R, async (k) => {
      const res = await t.request('POST', '/api/v1/me/redemptions', { token: hot.token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'idempotency-key': `bench-redeem-${k}` } });
      return res.status === 201 ? true : `${res.status} ${res.body?.error?.code}`;
    });
    // (c) the same writes as a purchase's ledger part, by hand: lock (SQLite: the write transaction), entry, lot, account, qualifying bucket.
    const rules = t.config.rules;
    const stmts = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      account: db.prepare('SELECT balance, debt FROM member_account WHERE member_id = ?'),
      entry: db.prepare("INSERT INTO ledger_entry (member_id, code, delta, balance_after, ref_type, ref_id, reason, actor, created_at, rules_version) VALUES (?, 'EARN_PURCHASE', ?, ?, 'baseline', ?, 'bench baseline', 'bench', ?, 1)"),
      lot: db.prepare("INSERT INTO points_lot (member_id, entry_id, amount, remaining, earned_at, activates_at, expires_at, ref_type, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'baseline', ?)"),
      update: db.prepare('UPDATE member_account SET balance = ?, debt = ?, version = version + 1, updated_at = ? WHERE member_id = ?'),
      bucket: db.prepare(bucketUpsertSql(false)),
    };
    const baseline = await phase('(c) baseline (raw SQL)', N, async (k) => {
      const memberId = members[k % MEMBERS]!.id;
      const now = Date.now();
      stmts.begin.run();
      const a = stmts.account.get(memberId) as { balance: number; debt: number };
      const points = purchaseBase(1000 + ((k * 7919) % 49_000), rules);
      const repaid = Math.min(a.debt, points);
      const e = stmts.entry.run(memberId, points, a.balance + points, `Q-${k}`, now);
      stmts.lot.run(memberId, Number(e.lastInsertRowid), points, points - repaid, now, addDays(new Date(now), rules.purchase.pendingDays).getTime(), lotExpiresAt(new Date(now), rules).getTime(), `Q-${k}`);
      stmts.update.run(a.balance + points, a.debt - repaid, now, memberId);
      stmts.bucket.run(memberId, monthOf(now), points);
      stmts.commit.run();
      await new Promise((r) => setImmediate(r)); // one at a time, as the app's queue runs them
      return true;
    });
    process.stdout.write(`\nSQLite: purchase ÷ baseline ${(purchases.f.throughputPerS / Math.max(1, baseline.f.throughputPerS)).toFixed(2)}; statements per purchase ${purchases.perReq}, per redemption ${redemptions.perReq}; hot member ${redemptions.f.throughputPerS.toFixed(0)} redemptions/s\n`);
    const problems = await t.verify();
    process.stdout.write(problems.length === 0 ? 'verify: OK\n' : `verify: ${problems.slice(0, 5).join('; ')}\n`);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench:sqlite: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
