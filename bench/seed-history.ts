import type { Pool, PoolConnection } from 'mysql2/promise';

/**
 * Scale data for the bench (issue 14.5): members 1..N, each with an account and a few months of history
 * (1-3 purchases earning points in lots, a redemption for one member in four, one lot in ten already due
 * for expiry), written with large multi-row INSERTs on two connections at once. Ids are given, not
 * generated: member m owns ledger entries 4(m-1)+1..4m and lots 3(m-1)+1..3m, so batches never wait on one
 * another and nothing is read back. The result satisfies every ledger invariant (`npm run verify`).
 *
 * The database is kept: a `bench_seed` row records what was seeded and that it finished, and the next run
 * with the same member count reuses it (seconds instead of a minute or more). The daily rollups are written with
 * each batch and the watermark set at the end, as the catch-up job would have left them.
 */
export const SEED_VERSION = 1;
const MEMBERS_PER_BATCH = 5000;
const WORKERS = 2;
const DAY = 86_400_000;

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
}

/** A cheap deterministic hash of a member id (the same history every time). */
function hash(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

interface Batch {
  members: string[];
  accounts: string[];
  entries: string[];
  lots: string[];
  moves: string[];
  /** code|local day -> [count, sum of delta] for the daily rollups. */
  daily: Map<string, [number, number]>;
  due: number;
}

/** Asia/Shanghai has no DST: the local day number is that of the UTC time plus 8 h. */
const dayNumber = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY);
const dayLabel = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

export function historyOf(first: number, last: number, now: number): Batch {
  const b: Batch = { members: [], accounts: [], entries: [], lots: [], moves: [], daily: new Map(), due: 0 };
  const byNumber = new Map<number, [number, number]>();
  const roll = (code: 0 | 1, at: number, delta: number) => {
    const k = dayNumber(at) * 2 + code;
    const v = byNumber.get(k);
    if (v) {
      v[0] += 1;
      v[1] += delta;
    } else byNumber.set(k, [1, delta]);
  };
  for (let m = first; m <= last; m++) {
    const h = hash(m);
    const joined = now - (400 + (h % 500)) * DAY;
    b.members.push(`(${m},'dev_bench${m}','会员${m}',NULL,NULL,NULL,${joined + DAY},${joined})`);
    const purchases = 1 + (h % 3);
    let balance = 0;
    let entryId = 4 * (m - 1);
    let lotId = 3 * (m - 1);
    const lots: { id: number; amount: number; remaining: number; earned: number; expires: number }[] = [];
    for (let k = 0; k < purchases; k++) {
      const due = k === 0 && h % 10 === 0;
      const earned = due ? now - (800 + (h % 60)) * DAY : now - (300 - k * 90 - (h % 30)) * DAY;
      const expires = due ? now - ((h >>> 8) % 20) * DAY - 1 : earned + 730 * DAY;
      const points = 10 + ((h >>> (k * 4)) % 490);
      balance += points;
      entryId += 1;
      lotId += 1;
      b.entries.push(`(${entryId},${m},'EARN_PURCHASE',${points},${balance},'purchase','S${m}-${k}',NULL,'消费积分',NULL,'bench-seed',${earned})`);
      lots.push({ id: lotId, amount: points, remaining: points, earned, expires });
      roll(0, earned, points);
      if (due) b.due += 1;
    }
    if (h % 4 === 0) {
      // A redemption from the newest lot (never a due one), half of it.
      const lot = lots[lots.length - 1]!;
      const take = Math.max(1, Math.floor(lot.amount / 2));
      lot.remaining -= take;
      balance -= take;
      entryId += 1;
      const at = now - 20 * DAY - (h % 10) * DAY;
      b.entries.push(`(${entryId},${m},'REDEEM',${-take},${balance},'redemption','R${m}',NULL,'兑换',NULL,'bench-seed',${at})`);
      b.moves.push(`(${entryId},${lot.id},${m},${-take})`);
      roll(1, at, -take);
    }
    for (let k = 0; k < lots.length; k++) {
      const l = lots[k]!;
      b.lots.push(`(${l.id},${m},${4 * (m - 1) + 1 + k},${l.amount},${l.remaining},${l.earned},${l.earned},${l.expires},'purchase','S${m}-${k}')`);
    }
    b.accounts.push(`(${m},${balance},0,0,NULL,0,${now})`);
  }
  for (const [k, v] of byNumber) b.daily.set(`${k % 2 === 0 ? 'EARN_PURCHASE' : 'REDEEM'}|${dayLabel(Math.floor(k / 2))}`, v);
  return b;
}

async function writeBatch(conn: PoolConnection, b: Batch): Promise<void> {
  await conn.query('START TRANSACTION');
  await conn.query(`INSERT INTO member (id, openid, nickname, birthday, birthday_set_at, invited_by, first_purchase_at, created_at) VALUES ${b.members.join(',')}`);
  await conn.query(`INSERT INTO member_account (member_id, balance, debt, version, last_checkin_day, checkin_streak, updated_at) VALUES ${b.accounts.join(',')}`);
  await conn.query(
    `INSERT INTO ledger_entry (id, member_id, code, delta, balance_after, ref_type, ref_id, reverses_entry_id, reason, breakdown, actor, created_at) VALUES ${b.entries.join(',')}`,
  );
  await conn.query(`INSERT INTO points_lot (id, member_id, entry_id, amount, remaining, earned_at, activates_at, expires_at, ref_type, ref_id) VALUES ${b.lots.join(',')}`);
  if (b.moves.length) await conn.query(`INSERT INTO lot_movement (entry_id, lot_id, member_id, delta) VALUES ${b.moves.join(',')}`);
  // The daily rollups (issue 14.4) of what this batch wrote; the watermark moves once all batches are in.
  const daily = [...b.daily].map(([k, [n, sum]]) => {
    const [code, day] = k.split('|') as [string, string];
    return `('${day}','${code}',${sum > 0 ? 1 : 0},${n},${sum})`;
  });
  await conn.query(`INSERT INTO ledger_daily (day, code, positive, entries, points) VALUES ${daily.join(',')} ON DUPLICATE KEY UPDATE entries = entries + VALUES(entries), points = points + VALUES(points)`);
  await conn.query('COMMIT');
}

export interface SeedOptions {
  members: number;
  /** Writes a progress line now and then. */
  progress?: (line: string, done: boolean) => void;
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

  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const now = started;
  let next = 1;
  let done = 0;
  let entries = 0;
  let lots = 0;
  let due = 0;
  let lastReport = 0;
  const worker = async () => {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
      for (;;) {
        const first = next;
        if (first > o.members) return;
        const last = Math.min(o.members, first + MEMBERS_PER_BATCH - 1);
        next = last + 1;
        const b = historyOf(first, last, now);
        await writeBatch(conn, b);
        done += last - first + 1;
        entries += b.entries.length;
        lots += b.lots.length;
        due += b.due;
        const t = Date.now();
        if (o.progress && (t - lastReport > 1000 || done === o.members)) {
          lastReport = t;
          const rate = done / ((t - started) / 1000);
          const width = 30;
          const filled = Math.round((done / o.members) * width);
          o.progress(
            `seed: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${o.members.toLocaleString('en')} members, ${Math.round(rate).toLocaleString('en')}/s, ETA ${Math.max(0, Math.round((o.members - done) / rate))} s`,
            done === o.members,
          );
        }
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await pool.query("UPDATE rollup_watermark SET last_id = (SELECT COALESCE(MAX(id), 0) FROM ledger_entry), updated_at = ? WHERE name = 'ledger_daily'", [Date.now()]);
  const ms = Date.now() - started;
  await pool.query('UPDATE bench_seed SET entries = ?, lots = ?, due_lots = ?, ms = ?, completed_at = ? WHERE id = 1', [entries, lots, due, ms, Date.now()]);
  return { members: o.members, entries, lots, dueLots: due, ms, membersPerS: Math.round(o.members / (ms / 1000)), cpuMs: cpuMsSince(cpu0), reused: false };
}

function cpuMsSince(c: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c);
  return Math.round((d.user + d.system) / 1000);
}
