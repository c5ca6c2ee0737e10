import type { RulesConfig } from '@jifen/shared';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { CouponsService } from './coupons.service';
import { ValiditySweep } from './validity-sweep';
import { announceAvailable } from './available-notices';
import { JobLeases, leaseOwner, lotsByMember, walkRanges, type Lease } from './job-lease.service';
import { expireBatch } from './expiry-batch';
import { horizonOf, remindersDue, writeReminders } from './expiry-reminders';

export interface ExpiryRunResult {
  lotsExpired: number;
  pointsExpired: number;
  /** Members with lots due left in ranges another worker held past the wait (its lease was live). */
  membersSkipped: number;
  remindersCreated: number;
  couponsIssued: number;
  lotsRevalidated: number;
  /** "Pending became available" notices written (issue 11.5). */
  availableTold: number;
  /** Batches (transactions) the run committed. */
  batches: number;
}

export interface ExpiryRunOptions {
  actor?: string;
  /** Member ids per leased range (default RANGE_IDS). */
  rangeIds?: number;
  /** Members per batch transaction (default MEMBERS_PER_BATCH_MAX). */
  batchMembers?: number;
  /** Lease time to live, renewed by every batch (default LEASE_MS). */
  leaseMs?: number;
  /** How long to wait for ranges other workers hold (default: one lease TTL). */
  heldWaitMs?: number;
  /** This worker's name in lease rows (default: host, pid and a random suffix per run). */
  owner?: string;
}

/**
 * The expiry job (issue 14.2). Work is claimed by leased ranges of member ids (`job_lease`: an owner and an
 * expiry; no FOR UPDATE SKIP LOCKED, which TiDB lacks), so several instances share a run on SQLite, MariaDB,
 * MySQL and TiDB alike. Each range is worked in short batch transactions of members, each one statement per
 * table (expiry-batch.ts); the run continues until nothing due at its start is left (or only what another
 * live worker holds). Reminders are aggregated the same way: one read per page of members, one insert per
 * table. Design notes: docs/design-jobs.md.
 */
export class ExpiryService {
  static readonly RANGE_IDS = 10_000;
  static readonly MEMBERS_PER_BATCH_MAX = 200;
  static readonly LEASE_MS = 60_000;
  static readonly REMINDERS_PER_RUN_MAX = 5000;
  static readonly REMINDER_MEMBERS_PAGE_MAX = 200;
  static readonly JOB = 'expiry';
  static readonly REMIND_JOB = 'expiry-remind';

  private readonly validity: ValiditySweep;
  private readonly leases: JobLeases;

  constructor(
    private readonly ledger: LedgerService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    _coupons: CouponsService, // coupons are written set-based in expiry-batch.ts (same rows as CouponsService.issueForExpiry)
  ) {
    this.validity = new ValiditySweep(ledger.tx, rules, clock);
    this.leases = new JobLeases(ledger.tx);
  }

  async run(opts: ExpiryRunOptions & { batchesMax?: number } = {}): Promise<ExpiryRunResult> {
    const result: ExpiryRunResult = { lotsExpired: 0, pointsExpired: 0, membersSkipped: 0, remindersCreated: 0, couponsIssued: 0, lotsRevalidated: 0, availableTold: 0, batches: 0 };
    const tx = this.ledger.tx;
    result.lotsRevalidated = await this.validity.run(opts.batchesMax ?? 1000);
    const width = opts.rangeIds ?? ExpiryService.RANGE_IDS;
    const batchMembers = opts.batchMembers ?? ExpiryService.MEMBERS_PER_BATCH_MAX;
    const ttlMs = opts.leaseMs ?? ExpiryService.LEASE_MS;
    const actor = opts.actor ?? 'job:expiry';
    // What is due at the run's start is what this run expires: the run ends, however long it takes.
    const asOf = this.clock().getTime();
    const dueIn = async (from: number, to: number, limit: number): Promise<number[]> =>
      (
        (await tx.manager.query(
          `SELECT DISTINCT member_id FROM ${lotsByMember(tx.kind)} WHERE member_id >= ? AND member_id <= ? AND expires_at <= ? AND remaining > 0 ORDER BY member_id LIMIT ${limit}`,
          [from, to, asOf],
        )) as { member_id: unknown }[]
      ).map((r) => Number(r.member_id));
    const walked = await walkRanges(this.leases, {
      job: ExpiryService.JOB,
      width,
      ttlMs,
      heldWaitMs: opts.heldWaitMs ?? ttlMs,
      owner: opts.owner ?? leaseOwner(),
      nextDue: async (after) => (await dueIn(after + 1, Number.MAX_SAFE_INTEGER, 1))[0] ?? null,
      dueMembers: async (from, to) => (await dueIn(from, to, width)).length,
      work: async (lease) => {
        for (let from = lease.start; from <= lease.end; ) {
          const ids = await dueIn(from, lease.end, batchMembers);
          if (ids.length === 0) break;
          const t = await tx.run(async (m) => {
            // First in the batch's first round trip: the fence (the lease renewed, still ours) and the newest
            // rules version; the accounts are locked and the due lots read in the same round trip.
            const fence = this.leases.holdReads(lease, ttlMs);
            const prelude = {
              reads: [...fence.reads, { sql: 'SELECT id FROM rules_version ORDER BY id DESC LIMIT 1', params: [] }],
              check: async (r: unknown[]) => {
                fence.check(r);
                await this.ledger.versions.syncTo(m, Number((r[2] as { id: unknown }[])[0]?.id ?? 0));
              },
            };
            const rulesVersion = () => this.ledger.versions.state.versionId;
            return expireBatch(m, ids, { kind: tx.kind, rules: this.rules, rulesVersion, prelude, actor, nowMs: Math.max(asOf, this.clock().getTime()) });
          });
          result.lotsExpired += t.lots;
          result.pointsExpired += t.points;
          result.couponsIssued += t.coupons;
          result.batches += 1;
          from = ids[ids.length - 1]! + 1;
        }
        return 'done';
      },
    });
    result.membersSkipped = walked.membersSkipped;
    result.remindersCreated = await this.remind(opts);
    result.availableTold = await announceAvailable(tx, this.clock().getTime());
    return result;
  }

  /**
   * Reminders per member and expiry date (not per lot), 90 and 7 days ahead (config), with the figure of the
   * moment; the 7-day one (the smallest threshold) carries the offer: a shelf discount for that member until
   * the date. Leased ranges like the expiry itself; per page of members one grouped read, one read of what was
   * told, and one transaction with one insert per table. At most REMINDERS_PER_RUN_MAX per run.
   */
  async remind(opts: ExpiryRunOptions = {}): Promise<number> {
    const tx = this.ledger.tx;
    const nowMs = this.clock().getTime();
    const horizon = horizonOf(this.rules, nowMs);
    const width = opts.rangeIds ?? ExpiryService.RANGE_IDS;
    const ttlMs = opts.leaseMs ?? ExpiryService.LEASE_MS;
    const cap = ExpiryService.REMINDERS_PER_RUN_MAX;
    let created = 0;
    const members = async (from: number, to: number, limit: number): Promise<number[]> =>
      (
        (await tx.manager.query(
          `SELECT DISTINCT member_id FROM ${lotsByMember(tx.kind)} WHERE member_id >= ? AND member_id <= ? AND remaining > 0 AND expires_at > ? AND expires_at <= ? ORDER BY member_id LIMIT ${limit}`,
          [from, to, nowMs, horizon],
        )) as { member_id: unknown }[]
      ).map((r) => Number(r.member_id));
    const page = async (lease: Lease, from: number): Promise<{ next: number | null; wrote: number }> => {
      const { due, lastMember } = await remindersDue(tx.manager, tx.kind, this.rules, nowMs, { from, to: lease.end }, ExpiryService.REMINDER_MEMBERS_PAGE_MAX);
      if (lastMember === null) return { next: null, wrote: 0 };
      for (let attempt = 0; ; attempt++) {
        try {
          const wrote = await tx.run(async (m) => {
            await this.leases.hold(m, lease, ttlMs);
            return writeReminders(m, this.rules, nowMs, due, cap - created);
          });
          return { next: lastMember + 1, wrote };
        } catch (e) {
          if (!isUniqueViolation(e) || attempt >= 2) throw e; // another writer told one just now: read again
        }
      }
    };
    await walkRanges(this.leases, {
      job: ExpiryService.REMIND_JOB,
      width,
      ttlMs,
      heldWaitMs: opts.heldWaitMs ?? ttlMs,
      owner: opts.owner ?? leaseOwner(),
      nextDue: async (after) => (created >= cap ? null : ((await members(after + 1, Number.MAX_SAFE_INTEGER, 1))[0] ?? null)),
      dueMembers: async () => 0, // a range another worker holds is its to tell
      work: async (lease) => {
        for (let from: number | null = lease.start; from !== null && created < cap; ) {
          const p = await page(lease, from);
          created += p.wrote;
          from = p.next;
        }
        return created >= cap ? 'stop' : 'done';
      },
    });
    return created;
  }
}
