import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import { select } from '../db/write-batch';

export function purchaseRef(p: { storeId: number; orderNo: string }) {
  return { refType: 'purchase', refId: `${p.storeId}:${p.orderNo}` };
}

/** A purchase's reads that need no lock (issue 14.1), each in one statement. */
/** The member's birthday and first purchase, the newest rules version and the order's id if posted: one statement. */
export async function purchaseContext(m: EntityManager, memberId: number, storeId: number, orderNo: string) {
  const [row] = await select<{ birthday: string | null; first_purchase_at: unknown; rv: unknown; pid: unknown }>(
    m,
    `SELECT m.birthday, m.first_purchase_at,
            (SELECT v.id FROM rules_version v ORDER BY v.id DESC LIMIT 1) AS rv,
            (SELECT p.id FROM purchase p WHERE p.store_id = ? AND p.order_no = ?) AS pid
       FROM member m WHERE m.id = ?`,
    [storeId, orderNo, memberId],
  );
  if (!row) throw new AppError('NOT_FOUND');
  return {
    birthday: row.birthday,
    firstPurchaseAt: row.first_purchase_at === null ? null : Number(row.first_purchase_at),
    rulesVersion: Number(row.rv ?? 0),
    purchaseId: row.pid === null || row.pid === undefined ? null : Number(row.pid),
  };
}

/** Under the member lock: the member has still no first purchase (two first purchases at once: one wins). */
export async function firstPurchaseStill(m: EntityManager, memberId: number): Promise<boolean> {
  const [row] = await select<{ first_purchase_at: unknown }>(m, 'SELECT first_purchase_at FROM member WHERE id = ?', [memberId]);
  return row !== undefined && row.first_purchase_at === null;
}
