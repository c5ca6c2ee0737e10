import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { openDatabase } from '../server/src/db/data-source';
import { MemberCodeService } from '../server/src/services/member-code.service';
import { systemClock } from '../server/src/clock';
import { AppProcess, benchEnv } from './app-process';
import { benchDatabase, dbNameFlag, intFlag } from './args';
import { errorLabel, JsonClient, clerkTokens } from './load';
import { seed } from './seed';
import { seedHistory } from './seed-history';

/**
 * `npm run bench:open-loop -- --rate 500 --seconds 20 [--members 100000] [--db jifen_openloop_100000] [--fresh]`
 * (issue 14: "500 purchases/s open loop could not be held"): purchases over HTTP arrive at a fixed rate whatever
 * the answers do: the k-th is sent at start + k/rate, not when an earlier one returns (a closed loop slows down
 * with the server and hides the queueing). Latency is counted from the intended send time (so a request the
 * client could only send late still counts its wait: no coordinated omission) and, apart, from the actual send.
 * Reports the offered and achieved rates, p50/p90/p99/max, errors, the most requests in flight, app CPU per
 * purchase. The database (MariaDB) is seeded once (seed-history.ts) and kept; every run takes members in a
 * fresh order, each purchase with a fresh member code.
 */
const rate = intFlag('rate', 100, 1, 5000);
const seconds = intFlag('seconds', 20, 1, 300);
const members = intFlag('members', 100_000, 1000, 2_000_000);
const poolSize = intFlag('pool', 32, 1, 256);
const dbName = dbNameFlag(`jifen_openloop_${members}`);
const base = process.env.BENCH_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const TIMEOUT_MS = 30_000;
const say = (l = '') => process.stdout.write(`${l}\n`);

function pct(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

async function main(): Promise<void> {
  const url = await benchDatabase(base, dbName);
  const ds = await openDatabase(url, { poolSize: 2 }); // the migrations
  await ds.destroy();
  const pool = mysql.createPool({ uri: url, connectionLimit: 4 });
  const history = await seedHistory(pool, { members, progress: (l, done) => process.stdout.write(process.stdout.isTTY ? `\r${l}${done ? '\n' : ''}` : `${l}\n`) });
  say(`open loop: ${members} members in ${dbName} (${history.reused ? 'reused' : `seeded in ${history.ms} ms`}); ${rate} purchases/s for ${seconds} s; app pool ${poolSize}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
  const fixtures = await seed(pool, { members, rewardStock: 1, rewardPrice: 10, clerkPassword: randomBytes(12).toString('hex') });
  await pool.end();

  const secrets = { JWT_SECRET: randomBytes(24).toString('hex'), MEMBER_CODE_SECRET: randomBytes(24).toString('hex') };
  const app = await AppProcess.start(benchEnv(url, secrets, poolSize));
  const total = rate * seconds;
  const client = new JsonClient(app.port, Math.max(64, Math.min(4096, total)));
  try {
    const tokens = await clerkTokens(client, fixtures.clerks);
    say(`clerks logged in`);
    const codes = new MemberCodeService(secrets.MEMBER_CODE_SECRET, systemClock);
    const runId = Date.now().toString(36);
    const offset = Math.floor(Math.random() * members);
    const stride = 7919; // prime: consecutive purchases fall on members far apart
    const purchase = (k: number) =>
      client.request(
        'POST',
        '/api/v1/till/purchases',
        { memberCode: codes.issue(1 + ((offset + k * stride) % members)).code, orderNo: `${runId}-O${k}`, amountFen: 1000 + ((k * 7919) % 49_000) },
        { authorization: `Bearer ${tokens[k % 2]}` },
      );
    // Warm-up, closed loop and unmeasured: JIT and connection pools on both sides.
    const warm0 = Date.now();
    const warm: Record<string, number> = {};
    for (let k = 0; k < 100; k += 10) {
      const got = await Promise.all(Array.from({ length: 10 }, (_, j) => purchase(total + k + j).then((r) => String(r.status), (e: Error) => e.message.slice(0, 40))));
      for (const g of got) warm[g] = (warm[g] ?? 0) + 1;
    }
    say(`warm-up: 100 purchases, 10 at a time, in ${Date.now() - warm0} ms: ${JSON.stringify(warm)}`);
    await app.stats(true);

    const fromIntended = new Float64Array(total);
    const fromSent = new Float64Array(total);
    const errors: Record<string, number> = {};
    let done = 0;
    let inFlight = 0;
    let inFlightMax = 0;
    let sent = 0;
    let lateSends = 0;
    const started = performance.now();
    let lastDone = started;
    await new Promise<void>((resolve) => {
      const finish = () => {
        if (done === total) resolve();
      };
      const tick = () => {
        const now = performance.now();
        const due = Math.min(total, Math.floor(((now - started) / 1000) * rate) + 1);
        while (sent < due) {
          const k = sent++;
          const intended = started + (k * 1000) / rate;
          if (now - intended > 10) lateSends++;
          inFlight++;
          if (inFlight > inFlightMax) inFlightMax = inFlight;
          const t0 = performance.now();
          purchase(k)
            .then((res) => (res.status === 201 ? null : errorLabel(res).split(' ').slice(0, 2).join(' ')))
            .catch((e: Error) => `exception ${e.message.slice(0, 40)}`)
            .then((err) => {
              const t1 = performance.now();
              fromIntended[done] = t1 - intended;
              fromSent[done] = t1 - t0;
              done++;
              inFlight--;
              lastDone = t1;
              if (err) errors[err] = (errors[err] ?? 0) + 1;
              finish();
            });
        }
        if (sent < total) setTimeout(tick, 2);
      };
      tick();
      setTimeout(() => resolve(), seconds * 1000 + TIMEOUT_MS + 5000).unref();
    });
    const sendWindowS = (total - 1) / rate;
    const elapsedS = (lastDone - started) / 1000;
    const app1 = await app.stats(true);
    const a = fromIntended.subarray(0, done).sort();
    const s = fromSent.subarray(0, done).sort();
    const errorCount = Object.values(errors).reduce((x, y) => x + y, 0);
    const f = (v: number) => v.toFixed(1).padStart(8);
    say('');
    say(`  offered                      ${rate} purchases/s for ${seconds} s (${total} purchases)`);
    say(`  achieved                     ${(done / elapsedS).toFixed(1)} purchases/s (${done} answered in ${elapsedS.toFixed(1)} s; the sends took ${sendWindowS.toFixed(1)} s)`);
    say(`  held?                        ${errorCount === 0 && elapsedS <= sendWindowS + 1 && pct(a, 99) < 50 ? 'yes' : 'no'} (target: every purchase answered within the window + 1 s, p99 < 50 ms, no errors)`);
    say(`  latency from intended send   p50 ${f(pct(a, 50))} ms  p90 ${f(pct(a, 90))} ms  p99 ${f(pct(a, 99))} ms  max ${f(a[a.length - 1] ?? 0)} ms`);
    say(`  latency from actual send     p50 ${f(pct(s, 50))} ms  p90 ${f(pct(s, 90))} ms  p99 ${f(pct(s, 99))} ms  max ${f(s[s.length - 1] ?? 0)} ms`);
    say(`  errors                       ${errorCount}${errorCount ? ` ${JSON.stringify(errors)}` : ''}${done < total ? `; ${total - done} unanswered at the end` : ''}`);
    say(`  most in flight               ${inFlightMax}; sends more than 10 ms late (the client itself behind): ${lateSends}`);
    say(`  app CPU per purchase         ${(app1.cpuMs / Math.max(1, done)).toFixed(2)} ms; statements per purchase ${(app1.statements / Math.max(1, done)).toFixed(1)}; app rss peak ${app1.rssPeakMb.toFixed(0)} MiB`);
    say(`  load average                 ${os.loadavg()[0]!.toFixed(1)} at end (${os.cpus().length} CPUs)`);
    if (errorCount > 0) process.exitCode = 1;
  } finally {
    client.close();
    await app.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:open-loop: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
