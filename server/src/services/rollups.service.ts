import type { EntityManager } from 'typeorm';
import { localDay, type RulesConfig } from '@jifen/shared';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { foldMembers, refreshDebts } from './account-rollups';

/**
 * Daily ledger totals (issue 14.4): `ledger_daily` holds, per local day, code and sign, the number of entries
 * and the sum of their deltas, for every entry up to the watermark (`rollup_watermark.last_id`). catchUp()
 * folds in the entries after it, oldest id first, in bounded steps; it never folds an entry younger than
 * LAG_MS, so a transaction that took its id earlier but commits later than a younger one is not skipped.
 * Readers add "the tail" (entries after the watermark, aggregated in SQL) to the rollups, so what they show
 * is exact whatever the job's progress. The writes' hot path is untouched: no shared row locked per entry.
 * The same steps keep the account rollups (account-rollups.ts: member count, members' debts) up to date.
 */
export const ROLLUP = { name: 'ledger_daily', lagMs: 10_000, batch: 20_000, membersBatch: 100_000, stepsMax: 100 } as const;

/** A local-day lookup cached per 15 minutes (every zone's offset is a multiple of 15 minutes). */
export function dayOf(tz: string): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    const k = Math.floor(ms / 900_000);
    let d = cache.get(k);
    if (d === undefined) {
      d = localDay(new Date(k * 900_000), tz);
      cache.set(k, d);
    }
    return d;
  };
}

export interface DailyRow {
  day: string;
  code: string;
  positive: boolean;
  entries: number;
  points: number;
}

export class RollupService {
  constructor(
    private readonly tx: TxRunner,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  /** The last entry id folded into the rollups. */
  async watermark(m: EntityManager, lock = false): Promise<number> {
    const rows = (await m.query(`SELECT last_id FROM rollup_watermark WHERE name = ?${lock && this.tx.kind === 'mysql' ? ' FOR UPDATE' : ''}`, [ROLLUP.name])) as { last_id: unknown }[];
    return Number(rows[0]?.last_id ?? 0);
  }

  /** Folds entries older than the lag into the rollups; returns how many it folded. Safe to run concurrently. */
  async catchUp(stepsMax: number = ROLLUP.stepsMax): Promise<number> {
    let total = 0;
    for (let step = 0; step < stepsMax; step++) {
      const [n, more] = await this.tx.run((m) => this.step(m));
      total += n;
      if (n < ROLLUP.batch && !more) break;
    }
    return total;
  }

  /** One step: entries folded, and whether the members' count has more to fold now. */
  private async step(m: EntityManager): Promise<[number, boolean]> {
    const last = await this.watermark(m, true); // the row lock serializes concurrent catch-ups
    const nowMs = this.clock().getTime();
    const cutoff = nowMs - ROLLUP.lagMs;
    const moreMembers = (await foldMembers(m, cutoff, ROLLUP.membersBatch, nowMs)) === ROLLUP.membersBatch;
    const rows = (await m.query(`SELECT id, member_id, code, delta, created_at FROM ledger_entry WHERE id > ? ORDER BY id LIMIT ${ROLLUP.batch}`, [last])) as {
      id: unknown;
      member_id: unknown;
      code: string;
      delta: unknown;
      created_at: unknown;
    }[];
    const day = dayOf(this.rules.timezone);
    const sums = new Map<string, DailyRow>();
    let upTo = last;
    let folded = 0;
    const touched = new Set<number>();
    for (const r of rows) {
      const at = Number(r.created_at);
      if (at > cutoff) break; // too young: it and everything after it wait for the next run
      const delta = Number(r.delta);
      const d = day(at);
      const key = `${d}|${r.code}|${delta > 0 ? 1 : 0}`;
      const s = sums.get(key) ?? { day: d, code: r.code, positive: delta > 0, entries: 0, points: 0 };
      s.entries += 1;
      s.points += delta;
      sums.set(key, s);
      upTo = Number(r.id);
      touched.add(Number(r.member_id));
      folded += 1;
    }
    if (folded === 0) return [0, moreMembers];
    await this.add(m, [...sums.values()]);
    // A member's debt only changes with an entry of theirs: refresh the debts of the members folded now.
    await refreshDebts(m, [...touched]);
    await m.query('UPDATE rollup_watermark SET last_id = ?, updated_at = ? WHERE name = ?', [upTo, this.clock().getTime(), ROLLUP.name]);
    // A full batch that stopped early at the cutoff is not "more to do now".
    return [folded === rows.length ? folded : Math.min(folded, ROLLUP.batch - 1), moreMembers];
  }

  /** Adds totals to the rollup rows (one multi-row upsert). */
  async add(m: EntityManager, rows: DailyRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map(() => '(?, ?, ?, ?, ?)').join(', ');
    const params = rows.flatMap((r) => [r.day, r.code, r.positive ? 1 : 0, r.entries, r.points]);
    const upsert =
      this.tx.kind === 'mysql'
        ? 'ON DUPLICATE KEY UPDATE entries = entries + VALUES(entries), points = points + VALUES(points)'
        : 'ON CONFLICT (day, code, positive) DO UPDATE SET entries = entries + excluded.entries, points = points + excluded.points';
    await m.query(`INSERT INTO ledger_daily (day, code, positive, entries, points) VALUES ${values} ${upsert}`, params);
  }

  /**
   * Daily totals in [from, to] (local days) as the ledger has them now: the rollups plus the tail after the
   * watermark (aggregated in SQL per code, sign and 15 minutes). from/to null: all time.
   */
  async daily(m: EntityManager, range: { from: string; to: string } | null): Promise<DailyRow[]> {
    const wm = await this.watermark(m);
    const rolled = (await m.query(
      `SELECT day, code, positive, entries, points FROM ledger_daily${range ? ' WHERE day >= ? AND day <= ?' : ''}`,
      range ? [range.from, range.to] : [],
    )) as Record<string, unknown>[];
    const tail = (await m.query(
      'SELECT code, CASE WHEN delta > 0 THEN 1 ELSE 0 END AS positive, FLOOR(created_at / 900000) AS q, COUNT(*) AS n, SUM(delta) AS points FROM ledger_entry WHERE id > ? GROUP BY code, positive, q',
      [wm],
    )) as Record<string, unknown>[];
    const day = dayOf(this.rules.timezone);
    const out = rolled.map((r) => ({ day: String(r.day), code: String(r.code), positive: Number(r.positive) === 1, entries: Number(r.entries), points: Number(r.points) }));
    for (const t of tail) {
      const d = day(Number(t.q) * 900_000);
      if (range && (d < range.from || d > range.to)) continue;
      out.push({ day: d, code: String(t.code), positive: Number(t.positive) === 1, entries: Number(t.n), points: Number(t.points) });
    }
    return out;
  }
}
