import type { DataSource } from 'typeorm';
import { TxRunner } from '../db/transaction';
import { dayOf, ROLLUP } from './rollups.service';
import { monthOf, QUALIFYING_CODES } from './qualifying-months';
import { verifyAccountRollups } from './account-rollups';

export interface VerifyReport {
  membersChecked: number;
  problems: string[];
}

export interface VerifyOptions {
  /** Members per keyset page (default 10,000). */
  batch?: number;
  /** Called after each page with the members checked so far and the total. */
  progress?: (done: number, total: number) => void;
  /** The zone of the rollups' local days (the rules' timezone). */
  timezone?: string;
}

const num = (v: unknown) => Number(v ?? 0);
const PROBLEMS_MAX = 1000;

/**
 * Invariants checked by code (DESIGN §3), over every member, streamed in keyset-paged batches of members
 * (memory and each statement stay bounded at any size): balance = sum(entries) = sum(lot remainders) - debt;
 * the last entry's balance_after is the balance; every lot's remainder within 0..amount and not above amount +
 * movements; no stock below zero; no campaign over budget. And the daily rollups (issue 14.4): for every local
 * day, code and sign, ledger_daily equals the entries up to the watermark, counted and summed. And the
 * qualifying buckets (issue 14.3): for every member and month, member_qualifying_month equals the sum of the
 * member's qualifying entries of that month (a missing row is 0).
 */
export async function verifyLedger(db: DataSource | TxRunner, opts: VerifyOptions = {}): Promise<VerifyReport> {
  // One snapshot for all the queries: beside a server taking writes, separate reads could catch a purchase
  // between its entry and its balance and report a problem that is not there.
  const tx = db instanceof TxRunner ? db : new TxRunner(db);
  return tx.snapshot((m) => check((sql, params = []) => m.query(sql, params) as Promise<Record<string, unknown>[]>, opts));
}

async function check(q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>, opts: VerifyOptions): Promise<VerifyReport> {
  const batch = opts.batch ?? 10_000;
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < PROBLEMS_MAX) problems.push(p);
  };
  // The rollups and their watermark first: entries up to it never change (append-only), so the comparison
  // below is exact even while the app writes and the catch-up job runs.
  const [wmRow] = await q('SELECT last_id FROM rollup_watermark WHERE name = ?', [ROLLUP.name]);
  const wm = num(wmRow?.last_id);
  const rolled = new Map((await q('SELECT day, code, positive, entries, points FROM ledger_daily')).map((r) => [`${String(r.day)}|${String(r.code)}|${num(r.positive)}`, [num(r.entries), num(r.points)]]));
  const fromLedger = new Map<string, [number, number]>();
  const day = dayOf(opts.timezone ?? 'Asia/Shanghai');

  const [countRow] = await q('SELECT COUNT(*) AS n FROM member_account');
  const total = num(countRow?.n);
  let checked = 0;
  let after = 0;
  for (;;) {
    const accounts = await q(`SELECT member_id, balance, debt FROM member_account WHERE member_id > ? ORDER BY member_id LIMIT ${batch}`, [after]);
    if (accounts.length === 0) break;
    const lo = num(accounts[0]!.member_id);
    const hi = num(accounts[accounts.length - 1]!.member_id);
    const range = [lo, hi];
    const entrySums = new Map((await q('SELECT member_id, SUM(delta) AS s FROM ledger_entry WHERE member_id BETWEEN ? AND ? GROUP BY member_id', range)).map((r) => [num(r.member_id), num(r.s)]));
    const lotSums = new Map((await q('SELECT member_id, SUM(remaining) AS s FROM points_lot WHERE member_id BETWEEN ? AND ? GROUP BY member_id', range)).map((r) => [num(r.member_id), num(r.s)]));
    const lastBalance = new Map(
      (
        await q(
          'SELECT e.member_id, e.balance_after FROM ledger_entry e JOIN (SELECT member_id, MAX(id) AS id FROM ledger_entry WHERE member_id BETWEEN ? AND ? GROUP BY member_id) x ON x.id = e.id',
          range,
        )
      ).map((r) => [num(r.member_id), num(r.balance_after)]),
    );
    for (const a of accounts) {
      const id = num(a.member_id);
      const balance = num(a.balance);
      const entries = entrySums.get(id) ?? 0;
      const lots = lotSums.get(id) ?? 0;
      const debt = num(a.debt);
      if (balance !== entries) problem(`member ${id}: balance ${balance} != sum of entries ${entries}`);
      if (balance !== lots - debt) problem(`member ${id}: balance ${balance} != lot remainders ${lots} - debt ${debt}`);
      if (debt < 0) problem(`member ${id}: negative debt ${debt}`);
      if (lastBalance.has(id) && lastBalance.get(id) !== balance) problem(`member ${id}: last balance_after ${lastBalance.get(id)} != balance ${balance}`);
    }
    for (const r of await q('SELECT id, member_id, amount, remaining FROM points_lot WHERE member_id BETWEEN ? AND ? AND (remaining < 0 OR remaining > amount)', range)) {
      problem(`lot ${num(r.id)} (member ${num(r.member_id)}): remaining ${num(r.remaining)} outside 0..${num(r.amount)}`);
    }
    const moved = await q(
      `SELECT l.id, l.member_id, l.amount, l.remaining, COALESCE(SUM(m.delta), 0) AS moved FROM points_lot l LEFT JOIN lot_movement m ON m.lot_id = l.id
        WHERE l.member_id BETWEEN ? AND ? GROUP BY l.id, l.member_id, l.amount, l.remaining HAVING l.remaining > l.amount + COALESCE(SUM(m.delta), 0)`,
      range,
    );
    for (const r of moved) problem(`lot ${num(r.id)} (member ${num(r.member_id)}): remaining ${num(r.remaining)} exceeds amount ${num(r.amount)} + movements ${num(r.moved)}`);
    // This page's share of the daily totals (per 15 minutes, folded into local days here).
    for (const r of await q(
      'SELECT code, CASE WHEN delta > 0 THEN 1 ELSE 0 END AS positive, FLOOR(created_at / 900000) AS qh, COUNT(*) AS n, SUM(delta) AS s FROM ledger_entry WHERE member_id BETWEEN ? AND ? AND id <= ? GROUP BY code, positive, qh',
      [lo, hi, wm],
    )) {
      const key = `${day(num(r.qh) * 900_000)}|${String(r.code)}|${num(r.positive)}`;
      const v = fromLedger.get(key) ?? [0, 0];
      v[0] += num(r.n);
      v[1] += num(r.s);
      fromLedger.set(key, v);
    }
    const buckets = await q('SELECT member_id, month, points FROM member_qualifying_month WHERE member_id BETWEEN ? AND ?', range);
    const qualifying = await q(
      `SELECT member_id, FLOOR(created_at / 900000) AS qh, SUM(delta) AS s FROM ledger_entry
        WHERE member_id BETWEEN ? AND ? AND code IN (${QUALIFYING_CODES.map(() => '?').join(', ')}) GROUP BY member_id, qh`,
      [...range, ...QUALIFYING_CODES],
    );
    checkBuckets(buckets, qualifying, problem);
    checked += accounts.length;
    after = hi;
    opts.progress?.(checked, Math.max(total, checked));
  }
  for (const key of new Set([...rolled.keys(), ...fromLedger.keys()])) {
    const r = rolled.get(key) ?? [0, 0];
    const l = fromLedger.get(key) ?? [0, 0];
    if (r[0] !== l[0] || r[1] !== l[1]) problem(`rollup ${key}: ledger_daily has ${r[0]} entries / ${r[1]} points, the ledger up to entry ${wm} has ${l[0]} / ${l[1]}`);
  }
  await verifyAccountRollups(q, wm, problem); // member count and debts (account-rollups.ts)
  for (const r of await q('SELECT id, stock FROM reward WHERE stock < 0')) problem(`reward ${num(r.id)}: stock ${num(r.stock)} below zero`);
  for (const r of await q('SELECT id, issued_points, budget_points FROM campaign WHERE issued_points > budget_points')) {
    problem(`campaign ${num(r.id)}: issued ${num(r.issued_points)} over budget ${num(r.budget_points)}`);
  }
  return { membersChecked: checked, problems };
}

/** Buckets against the ledger's qualifying sums (per quarter hour: a UTC+8 month starts on one, so they fold exactly). */
function checkBuckets(buckets: Record<string, unknown>[], sums: Record<string, unknown>[], problem: (p: string) => void): void {
  const fromLedger = new Map<string, number>();
  for (const r of sums) {
    const key = `${num(r.member_id)}|${monthOf(num(r.qh) * 900_000)}`;
    fromLedger.set(key, (fromLedger.get(key) ?? 0) + num(r.s));
  }
  const kept = new Map(buckets.map((r) => [`${num(r.member_id)}|${String(r.month)}`, num(r.points)]));
  for (const key of new Set([...kept.keys(), ...fromLedger.keys()])) {
    const k = kept.get(key) ?? 0;
    const l = fromLedger.get(key) ?? 0;
    if (k !== l) {
      const [member, month] = key.split('|');
      problem(`member ${member}: qualifying points of ${month} kept as ${k}, the ledger has ${l}`);
    }
  }
}
