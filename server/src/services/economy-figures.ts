import type { EntityManager } from 'typeorm';
import { ISSUE_CODES } from '@jifen/shared';
import { invariant } from '../errors';

/**
 * Ledger and sales aggregates the economics decisions and reports share (one definition each, so the plan,
 * the guard, the finance figures and the public report never disagree). Ranges are [startMs, endMs).
 */
const num = (v: unknown): number => {
  const n = Number(v ?? 0);
  invariant(Number.isSafeInteger(n), `aggregate ${String(v)} is a safe integer`);
  return n;
};

const ISSUE_IN = ISSUE_CODES.map((c) => `'${c}'`).join(', ');

/** Sales net of refunds, in fen, of purchases made in the range. */
export async function salesFen(m: EntityManager, startMs: number, endMs: number): Promise<number> {
  const [r] = await m.query('SELECT COALESCE(SUM(amount_fen - refunded_fen), 0) AS total FROM purchase WHERE created_at >= ? AND created_at < ?', [startMs, endMs]);
  return num(r?.total);
}

/** Points issued (positive entries of the issuing codes), redeemed net of cancellations, and expired in the range. */
export async function flowPoints(m: EntityManager, startMs: number, endMs: number): Promise<{ issued: number; redeemed: number; expired: number }> {
  const [r] = await m.query(
    `SELECT COALESCE(SUM(CASE WHEN delta > 0 AND code IN (${ISSUE_IN}) THEN delta ELSE 0 END), 0) AS issued,
            COALESCE(SUM(CASE WHEN code = 'REDEEM' THEN -delta WHEN code = 'REDEEM_CANCEL' THEN -delta ELSE 0 END), 0) AS redeemed,
            COALESCE(SUM(CASE WHEN code = 'EXPIRE' THEN -delta ELSE 0 END), 0) AS expired
       FROM ledger_entry WHERE created_at >= ? AND created_at < ?`,
    [startMs, endMs],
  );
  return { issued: num(r?.issued), redeemed: num(r?.redeemed), expired: num(r?.expired) };
}

/** Points outstanding now: the sum of balances (net of debt), as the ledger identity has it. */
export async function outstandingPoints(m: EntityManager): Promise<number> {
  const [r] = await m.query('SELECT COALESCE(SUM(balance), 0) AS total FROM member_account');
  return num(r?.total);
}
