import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { MemberCodeService } from '../server/src/services/member-code.service';
import { verifyLedger } from '../server/src/services/verify.service';
import { systemClock } from '../server/src/clock';
import { acceptAgreement } from './agreement';
import { AppProcess, benchEnv, spread, type AppStats } from './app-process';
import { errorLabel, JsonClient, runPool, type PhaseFigures, clerkTokens } from './load';
import { seedSqliteFixtures, seedSqliteHistory } from './seed-sqlite';
import { hasFlag, intFlag } from './args';

/**
 * `npm run bench:sqlite [-- --members 10000 --purchases 1000 --redemptions 300 --concurrency 32 --rounds 3 --fresh]`
 * (issue 14.6: "measure SQLite too, since it is the embedded default"): the MariaDB bench's phases (a) and (b)
 * against the app on a SQLite file: purchases over HTTP (each with a clerk token and a fresh member code, one
 * member per purchase) and redemptions on one hot member, each a median of rounds with its spread, app CPU per
 * request; then verifyLedger on the file. The file (os.tmpdir()/jifen-bench-<members>.sqlite) is seeded once
 * with the same history as MariaDB's and kept; --fresh recreates it. Figures go to bench/results/sqlite.json.
 */
const members = intFlag('members', 10_000, 1000, 2_000_000);
const purchases = intFlag('purchases', 1000, 1, 50_000);
const redemptions = intFlag('redemptions', 300, 1, 10_000);
const concurrency = intFlag('concurrency', 32, 1, 256);
const ROUNDS = intFlag('rounds', 3, 1, 5);
const WARMUP = 100;
const PRICE = 10;
const PHASE_BUDGET_MS = { purchases: 45_000, redemptions: 20_000 };
if (ROUNDS * purchases + WARMUP >= members) throw new Error('rounds × purchases + 100 warm-up must stay below --members (one member per purchase)');
const file = path.join(os.tmpdir(), `jifen-bench-${members}.sqlite`);
const say = (l = '') => process.stdout.write(`${l}\n`);

interface Round {
  purchases: PhaseFigures;
  purchasesApp: AppStats;
  redemptions: PhaseFigures;
  redemptionsApp: AppStats;
}

const line = (name: string, f: PhaseFigures) =>
  `${name.padEnd(28)} ${String(f.requests).padStart(6)} req ${f.throughputPerS.toFixed(1).padStart(8)} req/s  p50 ${f.p50Ms.toFixed(1).padStart(7)} ms  p99 ${f.p99Ms.toFixed(1).padStart(7)} ms  errors ${f.errors}${f.errors ? ` ${JSON.stringify(f.errorsByStatus)}; e.g. ${f.errorSamples[0]}` : ''}`;

async function main(): Promise<void> {
  if (hasFlag('fresh')) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const url = `sqlite:${file}`;
  say(`bench:sqlite: ${existsSync(file) ? 'reusing' : 'creating'} ${file}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
  const secrets = { JWT_SECRET: randomBytes(24).toString('hex'), MEMBER_CODE_SECRET: randomBytes(24).toString('hex') };
  const env = benchEnv(url, secrets, concurrency);
  const config = loadConfig(env);
  let ds = await openDatabase(url); // the migrations
  const history = seedSqliteHistory(file, members);
  say(history.reused ? `seed: reused ${members} members (seeded earlier at ${history.membersPerS}/s)` : `seed: ${members} members, ${history.entries} entries, ${history.lots} lots in ${history.ms} ms (${history.membersPerS}/s, CPU ${history.cpuMs} ms)`);
  const fixtures = await seedSqliteFixtures(file, { rewardStock: redemptions * ROUNDS * 2, rewardPrice: PRICE, clerkPassword: randomBytes(12).toString('hex') });
  // The hot member (the last one) gets the points its redemptions spend, through the ledger.
  const hot = members;
  const services = createServices(ds, config, systemClock);
  await services.tx.run(async (m) => {
    const account = await services.ledger.lockAccount(m, hot);
    await services.ledger.credit(m, account, redemptions * ROUNDS * PRICE, { code: 'ADJUST', reason: '压测发放', actor: 'bench' });
  });
  await ds.destroy();

  const app = await AppProcess.start(env);
  const client = new JsonClient(app.port, concurrency);
  const rounds: Round[] = [];
  try {
    const tokens = await clerkTokens(client, fixtures.clerks);
    const login = await client.request('POST', '/api/v1/auth/wechat', { code: `dev:bench${hot}` });
    if (login.status !== 200 || login.body.member.id !== hot) throw new Error(`hot member login: ${errorLabel(login)}`);
    const hotToken: string = login.body.token;
    await acceptAgreement(client, hotToken);
    const codes = new MemberCodeService(secrets.MEMBER_CODE_SECRET, systemClock);
    const runId = Date.now().toString(36);
    // A random block of members per run, so a kept file can be benched again.
    const offset = Math.floor(Math.random() * (members - 1));
    const postPurchase = async (g: number): Promise<true | string> => {
      const memberId = 1 + ((offset + g) % (members - 1));
      const res = await client.request('POST', '/api/v1/till/purchases', { memberCode: codes.issue(memberId).code, orderNo: `${runId}-P${g}`, amountFen: 1000 + ((g * 7919) % 49_000) }, { authorization: `Bearer ${tokens[g % 2]}` });
      return res.status === 201 ? true : errorLabel(res);
    };
    await runPool(WARMUP, concurrency, Date.now() + 20_000, postPurchase);
    for (let r = 0; r < ROUNDS; r++) {
      await app.stats(true);
      const first = WARMUP + r * purchases;
      const p = await runPool(purchases, concurrency, Date.now() + PHASE_BUDGET_MS.purchases, (k) => postPurchase(first + k));
      const pApp = await app.stats(true);
      const red = await runPool(redemptions, concurrency, Date.now() + PHASE_BUDGET_MS.redemptions, async (k) => {
        const res = await client.request('POST', '/api/v1/me/redemptions', { rewardId: fixtures.rewardId, quantity: 1 }, { authorization: `Bearer ${hotToken}`, 'idempotency-key': `bench-sqlite-${runId}-${r}-${k}` });
        return res.status === 201 ? true : errorLabel(res);
      });
      const rApp = await app.stats(true);
      rounds.push({ purchases: p, purchasesApp: pApp, redemptions: red, redemptionsApp: rApp });
      say(`round ${r + 1}/${ROUNDS}:`);
      say(`  ${line('(a) purchases (HTTP)', p)}`);
      say(`  ${line('(b) redemptions, 1 member', red)}`);
    }
  } finally {
    client.close();
    await app.stop();
  }

  ds = await openDatabase(url);
  const t0 = Date.now();
  const verify = await verifyLedger(ds, { timezone: config.rules.timezone });
  const verifyMs = Date.now() - t0;
  await ds.destroy();
  const col = (f: (r: Round) => number, d = 1) => spread(rounds.map(f), d);
  const per = (ms: number, n: number) => (n ? ms / n : 0);
  const table = [
    { figure: 'purchases over HTTP, req/s', value: col((r) => r.purchases.throughputPerS), was: '399 (issue 14)' },
    { figure: 'purchase p50 / p99, ms', value: `${col((r) => r.purchases.p50Ms)} / ${col((r) => r.purchases.p99Ms)}`, was: '' },
    { figure: 'one hot member, redemptions/s', value: col((r) => r.redemptions.throughputPerS), was: '484 (issue 14)' },
    { figure: 'redemption p50 / p99, ms', value: `${col((r) => r.redemptions.p50Ms)} / ${col((r) => r.redemptions.p99Ms)}`, was: '' },
    { figure: 'errors (all rounds)', value: String(rounds.reduce((s, r) => s + r.purchases.errors + r.redemptions.errors, 0)), was: '0' },
    { figure: 'app CPU per purchase / redemption, ms', value: `${col((r) => per(r.purchasesApp.cpuMs, r.purchases.requests), 2)} / ${col((r) => per(r.redemptionsApp.cpuMs, r.redemptions.requests), 2)}`, was: '' },
    { figure: 'app memory peak rss, MiB', value: col((r) => Math.max(r.purchasesApp.rssPeakMb, r.redemptionsApp.rssPeakMb), 0), was: '' },
    { figure: `verify at ${members} members, s`, value: (verifyMs / 1000).toFixed(1), was: '' },
  ];
  say('');
  say(`SQLite figures (median of ${ROUNDS} rounds [min..max]; ${members} members, concurrency ${concurrency}; load average ${os.loadavg()[0]!.toFixed(1)} at end on ${os.cpus().length} CPUs):`);
  for (const row of table) say(`  ${row.figure.padEnd(40)} ${row.value.padEnd(34)} ${row.was ? `before: ${row.was}` : ''}`);
  say(verify.problems.length === 0 ? `verify: ${verify.membersChecked} members OK in ${verifyMs} ms` : `verify: ${verify.problems.slice(0, 10).join('\n  ')}`);
  const out = path.join(__dirname, 'results', 'sqlite.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), file, members, purchases, redemptions, concurrency, rounds: ROUNDS, loadAverage: os.loadavg()[0], seed: history, table, roundsDetail: rounds, verify: { ok: verify.problems.length === 0, ms: verifyMs, problems: verify.problems.slice(0, 20) } }, null, 2)}\n`);
  say(`figures written to ${path.relative(process.cwd(), out)}`);
  if (verify.problems.length || rounds.some((r) => r.purchases.errors || r.redemptions.errors)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:sqlite: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
