import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { EntityManager } from 'typeorm';
import type { TxRunner } from '../db/transaction';

/** A range of member ids [start, end] one worker holds for a job until `expires_at` (docs/design-jobs.md). */
export interface Lease {
  job: string;
  start: number;
  end: number;
  owner: string;
}

/** Thrown inside a batch whose lease was taken over: the batch rolls back and the worker leaves the range. */
export class LeaseLost extends Error {
  constructor(lease: Lease) {
    super(`lease ${lease.job}:${lease.start} is no longer held by ${lease.owner}`);
  }
}

/** Rows a raw INSERT/UPDATE changed (both drivers report it in the structured result). */
export async function affected(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const own = m.queryRunner ? null : m.dataSource.createQueryRunner();
  const qr = m.queryRunner ?? own!;
  try {
    const r = (await qr.query(sql, params, true)) as { affected?: number };
    return r.affected ?? 0;
  } finally {
    if (own) await own.release();
  }
}

/**
 * `points_lot` read through its (member_id, expires_at) index: a job's range of member ids is narrow, while
 * "expires_at <= now" matches every lot that ever expired, which the optimizer otherwise often picks (MySQL,
 * MariaDB and TiDB take FORCE INDEX; SQLite INDEXED BY).
 */
export function lotsByMember(kind: 'sqlite' | 'mysql'): string {
  return kind === 'mysql' ? 'points_lot FORCE INDEX (ix_points_lot_member_id_expires_at)' : 'points_lot INDEXED BY ix_points_lot_member_id_expires_at';
}

/** A worker's name in lease rows: host, process and a per-run suffix (two runs in one process differ). */
export function leaseOwner(): string {
  return `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(0, 64);
}

/**
 * Leases on ranges of member ids (issue 14.2). Claiming is a conditional UPDATE (the row is free or its lease
 * ran out) and, when no row exists yet, an INSERT that ignores a duplicate: whichever statement changes a row
 * wins. No `FOR UPDATE SKIP LOCKED` (TiDB has none): a worker never waits on another's member rows to find
 * work, it only meets a lease row another worker holds, and moves on. Time is the wall clock (leases are about
 * processes being alive, not business time); the TTL must be well above the clock skew between instances.
 */
export class JobLeases {
  constructor(
    private readonly tx: TxRunner,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes [start, end] of `job` for `owner` for ttlMs when it is free or its holder's lease ran out. */
  async claim(job: string, start: number, end: number, owner: string, ttlMs: number): Promise<Lease | null> {
    const won = await this.tx.run(async (m) => {
      const now = this.now();
      const taken = await affected(
        m,
        'UPDATE job_lease SET owner = ?, expires_at = ?, updated_at = ? WHERE job = ? AND range_start = ? AND (expires_at <= ? OR owner = ?)',
        [owner, now + ttlMs, now, job, start, now, owner],
      );
      if (taken === 1) return true;
      const insert = this.tx.kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
      const made = await affected(m, `${insert} INTO job_lease (job, range_start, range_end, owner, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, [
        job,
        start,
        end,
        owner,
        now + ttlMs,
        now,
      ]);
      return made === 1;
    });
    return won ? { job, start, end, owner } : null;
  }

  /**
   * Inside a batch's transaction, first: extends the lease and proves it is still ours (the fence). A lease
   * taken over meanwhile throws LeaseLost, so a worker that stalled past its TTL cannot commit a batch over
   * the new holder's; on MySQL the row lock also makes a takeover wait for the batch in flight.
   */
  async hold(m: EntityManager, lease: Lease, ttlMs: number): Promise<void> {
    const now = this.now();
    const n = await affected(m, 'UPDATE job_lease SET expires_at = ?, updated_at = ? WHERE job = ? AND range_start = ? AND owner = ?', [now + ttlMs, now, lease.job, lease.start, lease.owner]);
    if (n === 1) return;
    // 0 rows: taken over, or (a driver counting changed rather than matched rows) renewed within the same ms.
    const rows = (await m.query('SELECT owner FROM job_lease WHERE job = ? AND range_start = ?', [lease.job, lease.start])) as { owner: string | null }[];
    if (rows[0]?.owner !== lease.owner) throw new LeaseLost(lease);
  }

  /**
   * hold() as statements for a caller that sends them first in a round trip of its own (a batch's first reads):
   * the lease extended, then its owner read under the row lock that update took; `check` throws LeaseLost.
   */
  holdReads(lease: Lease, ttlMs: number): { reads: { sql: string; params: unknown[] }[]; check(results: unknown[]): void } {
    const now = this.now();
    return {
      reads: [
        { sql: 'UPDATE job_lease SET expires_at = ?, updated_at = ? WHERE job = ? AND range_start = ? AND owner = ?', params: [now + ttlMs, now, lease.job, lease.start, lease.owner] },
        { sql: 'SELECT owner FROM job_lease WHERE job = ? AND range_start = ?', params: [lease.job, lease.start] },
      ],
      check: (results) => {
        const rows = results[1] as { owner: string | null }[];
        if (rows[0]?.owner !== lease.owner) throw new LeaseLost(lease);
      },
    };
  }

  /** Gives the range back (free at once); the row keeps the last owner's name. */
  async release(lease: Lease): Promise<void> {
    await this.tx.run((m) =>
      affected(m, 'UPDATE job_lease SET expires_at = 0, updated_at = ? WHERE job = ? AND range_start = ? AND owner = ?', [this.now(), lease.job, lease.start, lease.owner]),
    );
  }
}

export interface RangeJob {
  job: string;
  /** Member ids per range: range k is [k·width, k·width + width − 1]. */
  width: number;
  ttlMs: number;
  /** How long to wait for ranges other workers hold before leaving them (0: do not wait). */
  heldWaitMs: number;
  owner: string;
  /** The smallest member id above `after` with work due, or null when none is. */
  nextDue(after: number): Promise<number | null>;
  /** Works the range in short batches (each calling JobLeases.hold first); 'stop' ends the whole walk. */
  work(lease: Lease): Promise<'done' | 'stop'>;
  /** Members with work due in [start, end] (those left to other workers are reported as skipped). */
  dueMembers(start: number, end: number): Promise<number>;
}

export interface WalkResult {
  ranges: number;
  membersSkipped: number;
}

/**
 * One pass over every range with work due, in member id order: a free range is claimed, worked and released;
 * a held one is left to its holder and tried again after the pass (while heldWaitMs lasts), so a run ends
 * when nothing due is left that it could take: a crashed holder's range comes free when its lease expires.
 */
export async function walkRanges(leases: JobLeases, job: RangeJob): Promise<WalkResult> {
  let ranges = 0;
  const held: { start: number; end: number }[] = [];
  const workOne = async (start: number, end: number): Promise<'done' | 'stop' | 'held'> => {
    const lease = await leases.claim(job.job, start, end, job.owner, job.ttlMs);
    if (!lease) return 'held';
    ranges += 1;
    try {
      return await job.work(lease);
    } catch (e) {
      if (e instanceof LeaseLost) return 'done'; // someone else has it now
      throw e;
    } finally {
      await leases.release(lease);
    }
  };
  for (let after = -1; ; ) {
    const id = await job.nextDue(after);
    if (id === null) break;
    const start = Math.floor(id / job.width) * job.width;
    const end = start + job.width - 1;
    const r = await workOne(start, end);
    if (r === 'stop') return { ranges, membersSkipped: 0 };
    if (r === 'held') held.push({ start, end });
    after = end;
  }
  const deadline = Date.now() + job.heldWaitMs;
  let waiting = held;
  while (waiting.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(1, deadline - Date.now()))));
    const still: typeof waiting = [];
    for (const r of waiting) {
      if ((await job.dueMembers(r.start, r.end)) === 0) continue; // its holder finished it
      const out = await workOne(r.start, r.end);
      if (out === 'stop') return { ranges, membersSkipped: 0 };
      if (out === 'held') still.push(r);
    }
    waiting = still;
  }
  let membersSkipped = 0;
  for (const r of waiting) membersSkipped += await job.dueMembers(r.start, r.end);
  return { ranges, membersSkipped };
}
