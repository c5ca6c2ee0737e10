import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { startTestApp, DB_KIND, type TestApp, killGroups, spawnCaptured } from './helpers';
import { ExpiryService } from '../../server/src/services/expiry.service';
import { JobLeases, LeaseLost } from '../../server/src/services/job-lease.service';

/**
 * Issue 14.2: the expiry job claims work by leased ranges of member ids (job_lease), not FOR UPDATE SKIP
 * LOCKED. Two workers share a run without doubling; a lease that ran out is taken over and a live one is
 * left to its holder; a worker killed mid-batch leaves nothing half-done and the next run completes; reminders
 * by two workers are told once. On SQLite and MariaDB alike (TEST_DB=mysql).
 */
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const DUE_AT = '2028-01-05T04:00:00Z'; // lots earned in 2026 are due (Shanghai new year 2028 has passed)

async function scalar(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await ds.query(sql, params);
  return Number(Object.values(rows[0] as Record<string, unknown>)[0] ?? 0);
}

/** `members` members, each with `lotsEach` lots earned in 2026 (due at DUE_AT) of 10..16 points, and one lot of 2027 for every third. */
async function seed(t: TestApp, members: number, lotsEach: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < members; i += 25) {
    const chunk = await Promise.all(Array.from({ length: Math.min(25, members - i) }, (_, j) => t.services.members.loginOpenid(`lease_${i + j}`)));
    ids.push(...chunk.map((m) => m.id));
  }
  const credit = async (round: string, who: number[], points: (k: number) => number) => {
    for (let i = 0; i < who.length; i += 100) {
      const chunk = who.slice(i, i + 100);
      await t.services.tx.run(async (m) => {
        const accounts = await t.services.ledger.lockAccounts(m, chunk);
        await t.services.ledger.creditMany(
          m,
          chunk.map((id, k) => ({ account: accounts.get(id)!, points: points(i + k), input: { code: 'ADJUST', reason: '测试发放', actor: 'test', refType: 'lease-seed', refId: `${round}:${id}` } })),
        );
      });
    }
  };
  for (let r = 0; r < lotsEach; r++) {
    t.clock.set(new Date(Date.parse('2026-03-01T04:00:00Z') + r * 86_400_000));
    await credit(`2026-${r}`, ids, (k) => 10 + ((k + r) % 7));
  }
  t.clock.set('2027-03-01T04:00:00Z');
  await credit('2027', ids.filter((_, k) => k % 3 === 0), () => 5);
  t.clock.set(DUE_AT);
  return ids;
}

async function dueFigures(t: TestApp) {
  const now = t.clock().getTime();
  return {
    lots: await scalar(t.ds, 'SELECT COUNT(*) AS n FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now]),
    points: await scalar(t.ds, 'SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE expires_at <= ? AND remaining > 0', [now]),
    notDue: await scalar(t.ds, 'SELECT COALESCE(SUM(remaining), 0) AS s FROM points_lot WHERE expires_at > ?', [now]),
  };
}

/** Every due lot expired exactly once, the balances what is left, the ledger consistent. */
async function expectExpiredOnce(t: TestApp, before: { lots: number; points: number; notDue: number }) {
  expect(await dueFigures(t)).toEqual({ lots: 0, points: 0, notDue: before.notDue });
  expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE'")).toBe(before.lots);
  expect(await scalar(t.ds, "SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE code = 'EXPIRE'")).toBe(-before.points);
  expect(await t.ds.query("SELECT ref_id FROM ledger_entry WHERE code = 'EXPIRE' GROUP BY ref_id HAVING COUNT(*) > 1")).toEqual([]);
  expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM lot_movement mv JOIN ledger_entry e ON e.id = mv.entry_id WHERE e.code = 'EXPIRE'")).toBe(before.lots);
  expect(await scalar(t.ds, 'SELECT COALESCE(SUM(balance), 0) AS s FROM member_account')).toBe(before.notDue);
  expect(await t.verify()).toEqual([]);
}

describe(`expiry by leased ranges (${DB_KIND})`, () => {
  let t: TestApp;
  let dir: string | null = null;
  afterEach(async () => {
    await t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  test('two workers run at once: they share the ranges, and every due lot is expired once', async () => {
    t = await startTestApp({ now: '2026-03-01T04:00:00Z' });
    const ids = await seed(t, 160, 2);
    const before = await dueFigures(t);
    expect(before.lots).toBe(320);
    // A second worker: its own ExpiryService (its own lease owner) over the same database.
    const second = new ExpiryService(t.services.ledger, t.config.rules, t.clock, t.services.coupons);
    const opts = { rangeIds: 10, batchMembers: 4 };
    const [a, b] = await Promise.all([t.services.expiry.run(opts), second.run(opts)]);
    expect(a.lotsExpired + b.lotsExpired).toBe(before.lots);
    expect(a.pointsExpired + b.pointsExpired).toBe(before.points);
    expect(a.couponsIssued + b.couponsIssued).toBe(await scalar(t.ds, 'SELECT COUNT(*) AS n FROM coupon'));
    expect(a.lotsExpired).toBeGreaterThan(0);
    expect(b.lotsExpired).toBeGreaterThan(0);
    await expectExpiredOnce(t, before);
    // One EXPIRED notice per member and date; the leases are all given back, under two different owners.
    expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM notification WHERE kind = 'EXPIRED'")).toBe(ids.length);
    const leases = (await t.ds.query("SELECT owner, expires_at FROM job_lease WHERE job = 'expiry'")) as { owner: string; expires_at: unknown }[];
    expect(leases.every((l) => Number(l.expires_at) === 0)).toBe(true);
    expect(new Set(leases.map((l) => l.owner)).size).toBe(2);
    const again = await Promise.all([t.services.expiry.run(opts), second.run(opts)]);
    expect(again.map((r) => r.lotsExpired)).toEqual([0, 0]);
  });

  test('reminders by two workers at once: one per member and date, each 7-day offer once, written a page at a time', async () => {
    t = await startTestApp({ now: '2026-03-01T04:00:00Z' });
    const ids = await seed(t, 90, 2);
    t.clock.set('2027-12-24T04:00:00Z'); // 7 days before the 2026 lots expire (Shanghai new year 2028)
    const second = new ExpiryService(t.services.ledger, t.config.rules, t.clock, t.services.coupons);
    const opts = { rangeIds: 10 };
    const [a, b] = await Promise.all([t.services.expiry.remind(opts), second.remind(opts)]);
    expect(a + b).toBe(ids.length);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const rows = (await t.ds.query("SELECT member_id, dedupe_key, body FROM notification WHERE kind = 'EXPIRY_REMINDER'")) as { member_id: unknown; dedupe_key: string; body: string }[];
    expect(rows.map((r) => Number(r.member_id)).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    expect(rows.every((r) => r.dedupe_key.endsWith(':7') && r.body.includes('专享'))).toBe(true);
    expect(await scalar(t.ds, 'SELECT COUNT(*) AS n FROM member_offer')).toBe(ids.length);
    // The figure of the moment: the member's two 2026 lots summed, not one reminder per lot.
    const lots = (await t.ds.query('SELECT member_id, SUM(remaining) AS s FROM points_lot WHERE expires_at = ? GROUP BY member_id', [Date.parse('2027-12-31T16:00:00Z')])) as { member_id: unknown; s: unknown }[];
    const sum = new Map(lots.map((l) => [Number(l.member_id), Number(l.s)]));
    expect(rows.every((r) => r.body.startsWith(`${sum.get(Number(r.member_id))} 分将于 12月31日 过期`))).toBe(true);
    expect(await Promise.all([t.services.expiry.remind(opts), second.remind(opts)])).toEqual([0, 0]);
  });

  test('a lease that ran out is taken over; a live one is left to its holder, then finished once it is free', async () => {
    t = await startTestApp({ now: '2026-03-01T04:00:00Z' });
    const ids = await seed(t, 60, 1);
    const before = await dueFigures(t);
    const width = 20;
    const rangeOf = (id: number) => Math.floor(id / width) * width;
    const first = rangeOf(Math.min(...ids));
    const last = rangeOf(Math.max(...ids));
    expect(last).toBeGreaterThan(first);
    const inLast = ids.filter((id) => rangeOf(id) === last);
    // A worker that died holding the first range (its lease ran out), and one alive holding the last.
    await t.ds.query('INSERT INTO job_lease (job, range_start, range_end, owner, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)', [
      'expiry', first, first + width - 1, 'crashed-worker', Date.now() - 1000, 0,
      'expiry', last, last + width - 1, 'live-worker', Date.now() + 600_000, 0,
    ]);
    const r = await t.services.expiry.run({ rangeIds: width, batchMembers: 5, heldWaitMs: 0, owner: 'me' });
    expect(r.membersSkipped).toBe(inLast.length);
    expect(r.lotsExpired).toBe(before.lots - inLast.length);
    const rows = (await t.ds.query('SELECT range_start, owner, expires_at FROM job_lease WHERE job = ? ORDER BY range_start', ['expiry'])) as Record<string, unknown>[];
    expect(rows.find((x) => Number(x.range_start) === first)).toMatchObject({ owner: 'me' }); // taken over
    expect(rows.find((x) => Number(x.range_start) === last)).toMatchObject({ owner: 'live-worker' }); // left alone
    expect(await scalar(t.ds, 'SELECT COUNT(*) AS n FROM points_lot WHERE member_id >= ? AND expires_at <= ? AND remaining > 0', [last, t.clock().getTime()])).toBe(inLast.length);
    // The live worker's lease runs out: the next run takes the range and finishes.
    await t.ds.query('UPDATE job_lease SET expires_at = ? WHERE job = ? AND range_start = ?', [Date.now() - 1, 'expiry', last]);
    const r2 = await t.services.expiry.run({ rangeIds: width, batchMembers: 5, heldWaitMs: 0 });
    expect(r2).toMatchObject({ lotsExpired: inLast.length, membersSkipped: 0 });
    await expectExpiredOnce(t, before);
  });

  test('a worker that lost its lease cannot commit a batch over the new holder (the fence)', async () => {
    t = await startTestApp();
    let now = 1_000_000; // the leases' clock, moved by hand here
    const leases = new JobLeases(t.services.tx, () => now);
    const a = await leases.claim('fence-test', 0, 99, 'worker-a', 1000);
    expect(a).not.toBeNull();
    now += 999;
    expect(await leases.claim('fence-test', 0, 99, 'worker-b', 60_000)).toBeNull(); // still live
    now += 1;
    const b = await leases.claim('fence-test', 0, 99, 'worker-b', 60_000); // ran out: taken over
    expect(b).not.toBeNull();
    await expect(t.services.tx.run((m) => leases.hold(m, a!, 60_000))).rejects.toBeInstanceOf(LeaseLost);
    await t.services.tx.run((m) => leases.hold(m, b!, 60_000));
    expect(await leases.claim('fence-test', 0, 99, 'worker-a', 60_000)).toBeNull();
    await leases.release(b!);
    expect(await leases.claim('fence-test', 0, 99, 'worker-a', 60_000)).not.toBeNull();
  });

  test('a worker process killed mid-batch: nothing half-written, and the next run takes its range over and completes', async () => {
    if (DB_KIND === 'sqlite') dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-lease-'));
    const file = dir ? `sqlite:${path.join(dir, 'jifen.sqlite')}` : null;
    t = await startTestApp({ now: '2026-03-01T04:00:00Z', ...(file ? { db: { url: () => file } } : {}) });
    await seed(t, 80, 2);
    const before = await dueFigures(t);
    const url = (t.ds.options as { url?: string }).url ?? file!;
    const leaseMs = 1500;
    const worker = await runWorker({ DATABASE_URL: url, NOW: DUE_AT, RANGE_IDS: '40', BATCH_MEMBERS: '2', LEASE_MS: String(leaseMs), CRASH_AT_TX: '12' });
    // tsx runs the script in a child node process: its SIGKILL shows as tsx's exit status 137.
    expect(worker.signal === 'SIGKILL' || worker.code === 137).toBe(true);
    // Killed part-way: some batches committed, the one in flight rolled back whole (every entry has its movement).
    const done = await scalar(t.ds, "SELECT COUNT(*) AS n FROM ledger_entry WHERE code = 'EXPIRE'");
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(before.lots);
    expect(await scalar(t.ds, "SELECT COUNT(*) AS n FROM lot_movement mv JOIN ledger_entry e ON e.id = mv.entry_id WHERE e.code = 'EXPIRE'")).toBe(done);
    expect(await t.verify()).toEqual([]);
    // Its lease is still live for up to leaseMs: the run waits for it to run out, then takes the range over.
    const held = (await t.ds.query("SELECT owner FROM job_lease WHERE job = 'expiry' AND expires_at > 0")) as { owner: string }[];
    expect(held).toHaveLength(1);
    const r = await t.services.expiry.run({ rangeIds: 40, batchMembers: 2, leaseMs, heldWaitMs: 10_000 });
    expect(r.membersSkipped).toBe(0);
    expect(r.lotsExpired).toBe(before.lots - done);
    await expectExpiredOnce(t, before);
  });
});

const children = new Set<ChildProcess>();
afterAll(() => {
  killGroups(children);
});

function runWorker(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const { child, out } = spawnCaptured(path.join(ROOT, 'node_modules/.bin/tsx'), ['test/server/fixtures/expire-worker.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, children);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out: out() }));
  });
}
