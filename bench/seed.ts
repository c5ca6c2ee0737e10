import type { Pool } from 'mysql2/promise';
import { hashPassword } from '../server/src/services/passwords';


export interface Seeded {
  members: number;
  storeIds: [number, number];
  clerks: { username: string; password: string }[];
  /** Reads the health report. */
  admin: { username: string; password: string };
  rewardId: number;
  seedMs: number;
}

/**
 * The bench's fixtures on top of the seeded members (seed-history.ts): two stores and two clerks (kept across
 * runs; the clerks get this run's password) and a fresh reward with this run's stock.
 */
export async function seed(pool: Pool, opts: { members: number; rewardStock: number; rewardPrice: number; clerkPassword: string }): Promise<Seeded> {
  const started = Date.now();
  const now = Date.now();
  await pool.query("INSERT IGNORE INTO store (code, name) VALUES ('A', '国贸旗舰店'), ('B', '三里屯店')");
  const [stores] = (await pool.query("SELECT id FROM store WHERE code IN ('A', 'B') ORDER BY code")) as unknown as [{ id: number }[]];
  const storeIds: [number, number] = [stores[0]!.id, stores[1]!.id];
  const hash = await hashPassword(opts.clerkPassword);
  const clerks = [
    { username: 'bench-clerk-a', storeId: storeIds[0] },
    { username: 'bench-clerk-b', storeId: storeIds[1] },
  ];
  await pool.query('INSERT INTO staff (username, password_hash, role, store_id, disabled, created_at) VALUES ? ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash)', [
    [...clerks.map((c) => [c.username, hash, 'clerk', c.storeId, 0, now]), ['bench-admin', hash, 'admin', null, 0, now]],
  ]);
  const [ins] = (await pool.query(
    'INSERT INTO reward (title, description, image_url, points_price, stock, min_tier, per_member_limit, starts_at, ends_at, active, sort_order, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, 1, 0, ?)',
    ['压测咖啡券', 'bench', '/rewards/coffee.svg', opts.rewardPrice, opts.rewardStock, now],
  )) as unknown as [{ insertId: number }];
  return {
    members: opts.members,
    storeIds,
    clerks: clerks.map((c) => ({ username: c.username, password: opts.clerkPassword })),
    admin: { username: 'bench-admin', password: opts.clerkPassword },
    rewardId: ins.insertId,
    seedMs: Date.now() - started,
  };
}
