import type { Pool } from 'mysql2/promise';
import { hashPassword } from '../server/src/services/passwords';

/** Bulk seeding for the bench: multi-row INSERTs in bounded batches, straight through mysql2. */
export const SEED_BATCH_ROWS_MAX = 1000;

export interface Seeded {
  members: number;
  storeIds: [number, number];
  clerks: { username: string; password: string }[];
  rewardId: number;
  seedMs: number;
}

/** Members 1..count with openid dev_bench<i> (so `dev:bench<i>` logs in), each with an empty account. */
export async function seed(pool: Pool, opts: { members: number; rewardStock: number; rewardPrice: number; clerkPassword: string }): Promise<Seeded> {
  const started = Date.now();
  const now = Date.now();
  for (let first = 1; first <= opts.members; first += SEED_BATCH_ROWS_MAX) {
    const last = Math.min(opts.members, first + SEED_BATCH_ROWS_MAX - 1);
    const ids = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await conn.query('INSERT INTO member (id, openid, nickname, birthday, birthday_set_at, invited_by, first_purchase_at, created_at) VALUES ?', [
        ids.map((id) => [id, `dev_bench${id}`, `会员${id}`, null, null, null, null, now]),
      ]);
      await conn.query('INSERT INTO member_account (member_id, balance, debt, version, last_checkin_day, checkin_streak, updated_at) VALUES ?', [
        ids.map((id) => [id, 0, 0, 0, null, 0, now]),
      ]);
      await conn.commit();
    } catch (e) {
      await conn.rollback();
      throw e;
    } finally {
      conn.release();
    }
  }
  await pool.query("INSERT INTO store (code, name) VALUES ('A', '国贸旗舰店'), ('B', '三里屯店')");
  const [stores] = (await pool.query('SELECT id FROM store ORDER BY id')) as unknown as [{ id: number }[]];
  const storeIds: [number, number] = [stores[0]!.id, stores[1]!.id];
  const hash = await hashPassword(opts.clerkPassword);
  const clerks = [
    { username: 'bench-clerk-a', storeId: storeIds[0] },
    { username: 'bench-clerk-b', storeId: storeIds[1] },
  ];
  await pool.query('INSERT INTO staff (username, password_hash, role, store_id, disabled, created_at) VALUES ?', [clerks.map((c) => [c.username, hash, 'clerk', c.storeId, 0, now])]);
  const [ins] = (await pool.query(
    'INSERT INTO reward (title, description, image_url, points_price, stock, min_tier, per_member_limit, starts_at, ends_at, active, sort_order, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, 1, 0, ?)',
    ['压测咖啡券', 'bench', '/rewards/coffee.svg', opts.rewardPrice, opts.rewardStock, now],
  )) as unknown as [{ insertId: number }];
  return {
    members: opts.members,
    storeIds,
    clerks: clerks.map((c) => ({ username: c.username, password: opts.clerkPassword })),
    rewardId: ins.insertId,
    seedMs: Date.now() - started,
  };
}
