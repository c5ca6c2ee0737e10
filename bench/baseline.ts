import type { Pool } from 'mysql2/promise';
import { addDays, lotExpiresAt, purchaseBase, type RulesConfig } from '@jifen/shared';
import { bucketUpsertSql, monthOf } from '../server/src/services/qualifying-months';

/**
 * The raw-SQL baseline: the same writes a purchase makes to the ledger, by hand through mysql2, one
 * transaction per purchase, READ COMMITTED as TxRunner uses: lock the account row, insert the entry,
 * insert the lot, update the account, add to the member's qualifying month. No HTTP, no ORM, no idempotency record, code check, tier,
 * campaign or notification: it is the floor those cost against.
 */
export async function baselinePurchase(pool: Pool, rules: RulesConfig, memberId: number, amountFen: number, orderNo: string): Promise<void> {
  const conn = await pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.query('START TRANSACTION');
    try {
      const [rows] = (await conn.query('SELECT balance, debt, version FROM member_account WHERE member_id = ? FOR UPDATE', [memberId])) as unknown as [
        { balance: number; debt: number; version: number }[],
      ];
      const account = rows[0];
      if (!account) throw new Error(`baseline: member ${memberId} has no account`);
      const now = Date.now();
      const points = purchaseBase(amountFen, rules);
      const repaid = Math.min(account.debt, points);
      const balance = account.balance + points;
      const [entry] = (await conn.query(
        'INSERT INTO ledger_entry (member_id, code, delta, balance_after, ref_type, ref_id, reverses_entry_id, reason, breakdown, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)',
        [memberId, 'EARN_PURCHASE', points, balance, 'baseline', orderNo, 'bench baseline', 'bench', now],
      )) as unknown as [{ insertId: number }];
      await conn.query(
        'INSERT INTO points_lot (member_id, entry_id, amount, remaining, earned_at, activates_at, expires_at, ref_type, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [memberId, entry.insertId, points, points - repaid, now, addDays(new Date(now), rules.purchase.pendingDays).getTime(), lotExpiresAt(new Date(now), rules).getTime(), 'baseline', orderNo],
      );
      await conn.query('UPDATE member_account SET balance = ?, debt = ?, version = version + 1, updated_at = ? WHERE member_id = ?', [balance, account.debt - repaid, now, memberId]);
      await conn.query(bucketUpsertSql(true), [memberId, monthOf(now), points]);
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK');
      throw e;
    }
  } finally {
    conn.release();
  }
}
