import type { DataSource } from 'typeorm';
import { TxRunner } from '../db/transaction';

export interface VerifyReport {
  membersChecked: number;
  problems: string[];
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * Invariants checked by code (DESIGN §3), over every member:
 * balance = sum(entries) = sum(lot remainders) - debt; each entry's balance_after chains; every lot's
 * remainder within 0..amount; no stock below zero; no campaign over budget.
 */
export async function verifyLedger(db: DataSource | TxRunner): Promise<VerifyReport> {
  // One snapshot for all the queries: beside a server taking writes, separate reads could catch a purchase
  // between its entry and its balance and report a problem that is not there.
  const tx = db instanceof TxRunner ? db : new TxRunner(db);
  return tx.snapshot((m) => check((sql) => m.query(sql) as Promise<Record<string, unknown>[]>));
}

async function check(q: (sql: string) => Promise<Record<string, unknown>[]>): Promise<VerifyReport> {
  const problems: string[] = [];
  const accounts = await q('SELECT member_id, balance, debt FROM member_account');
  const entrySums = new Map((await q('SELECT member_id, SUM(delta) AS s, COUNT(*) AS n FROM ledger_entry GROUP BY member_id')).map((r) => [num(r.member_id), num(r.s)]));
  const lotSums = new Map((await q('SELECT member_id, SUM(remaining) AS s FROM points_lot GROUP BY member_id')).map((r) => [num(r.member_id), num(r.s)]));
  const lastBalance = new Map(
    (
      await q('SELECT e.member_id, e.balance_after FROM ledger_entry e JOIN (SELECT member_id, MAX(id) AS id FROM ledger_entry GROUP BY member_id) x ON x.id = e.id')
    ).map((r) => [num(r.member_id), num(r.balance_after)]),
  );
  for (const a of accounts) {
    const id = num(a.member_id);
    const balance = num(a.balance);
    const entries = entrySums.get(id) ?? 0;
    const lots = lotSums.get(id) ?? 0;
    const debt = num(a.debt);
    if (balance !== entries) problems.push(`member ${id}: balance ${balance} != sum of entries ${entries}`);
    if (balance !== lots - debt) problems.push(`member ${id}: balance ${balance} != lot remainders ${lots} - debt ${debt}`);
    if (debt < 0) problems.push(`member ${id}: negative debt ${debt}`);
    if (lastBalance.has(id) && lastBalance.get(id) !== balance) problems.push(`member ${id}: last balance_after ${lastBalance.get(id)} != balance ${balance}`);
  }
  for (const r of await q('SELECT id, member_id, amount, remaining FROM points_lot WHERE remaining < 0 OR remaining > amount')) {
    problems.push(`lot ${num(r.id)} (member ${num(r.member_id)}): remaining ${num(r.remaining)} outside 0..${num(r.amount)}`);
  }
  const moved = await q(
    'SELECT l.id, l.member_id, l.amount, l.remaining, COALESCE(SUM(m.delta), 0) AS moved FROM points_lot l LEFT JOIN lot_movement m ON m.lot_id = l.id GROUP BY l.id, l.member_id, l.amount, l.remaining HAVING l.remaining > l.amount + COALESCE(SUM(m.delta), 0)',
  );
  for (const r of moved) problems.push(`lot ${num(r.id)} (member ${num(r.member_id)}): remaining ${num(r.remaining)} exceeds amount ${num(r.amount)} + movements ${num(r.moved)}`);
  for (const r of await q('SELECT id, stock FROM reward WHERE stock < 0')) problems.push(`reward ${num(r.id)}: stock ${num(r.stock)} below zero`);
  for (const r of await q('SELECT id, issued_points, budget_points FROM campaign WHERE issued_points > budget_points')) {
    problems.push(`campaign ${num(r.id)}: issued ${num(r.issued_points)} over budget ${num(r.budget_points)}`);
  }
  return { membersChecked: accounts.length, problems };
}
