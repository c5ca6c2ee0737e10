import type { EntityManager } from 'typeorm';
import { couponFor, formatLocal, type RulesConfig } from '@jifen/shared';
import { invariant } from '../errors';
import { affected } from './job-lease.service';
import { newCouponCode } from './coupons.service';

const DAY_MS = 86_400_000;
/** Rows per multi-row INSERT: 12 parameters a row stays under SQLite's and MySQL's placeholder limits. */
const ROWS_PER_INSERT = 2000;

export interface BatchTotals {
  lots: number;
  points: number;
  coupons: number;
}

export interface BatchContext {
  kind: 'sqlite' | 'mysql';
  rules: RulesConfig;
  /** The rules version every EXPIRE entry records (synced by the caller inside the transaction). */
  rulesVersion: number;
  actor: string;
  /** The transaction's moment: entries, coupons and notices are dated with it; lots due at or before it go. */
  nowMs: number;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function insertRows(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const one = `(${marks(columns.length)})`;
    await m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => one).join(', ')}`, chunk.flat());
  }
}

/** Which of these keys a unique column already holds (one read). */
async function existing(m: EntityManager, table: string, column: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = (await m.query(`SELECT ${column} AS k FROM ${table} WHERE ${column} IN (${marks(keys.length)})`, keys)) as { k: string }[];
  return new Set(rows.map((r) => String(r.k)));
}

/**
 * Expires every lot due at `ctx.nowMs` of these members with one statement per table (issue 14.2), inside the
 * caller's transaction: lock the accounts (member id order), read their due lots, insert one EXPIRE entry per
 * lot (balance_after running per member, as one lot at a time did), zero the lots, insert their movements,
 * update the accounts, then per member and expiry date one coupon (above the threshold, once per source key)
 * and the notices. The same bookings, amounts, coupons and notices as LedgerService.expireLot lot by lot;
 * a re-run finds nothing due, and a crash rolls the whole batch back.
 */
export async function expireBatch(m: EntityManager, memberIds: number[], ctx: BatchContext): Promise<BatchTotals> {
  const totals: BatchTotals = { lots: 0, points: 0, coupons: 0 };
  if (memberIds.length === 0) return totals;
  const ids = [...new Set(memberIds)].sort((a, b) => a - b);
  const lock = ctx.kind === 'mysql' ? ' FOR UPDATE' : '';
  const accountRows = (await m.query(`SELECT member_id, balance, debt, version FROM member_account WHERE member_id IN (${marks(ids.length)}) ORDER BY member_id${lock}`, ids)) as Record<string, unknown>[];
  const accounts = new Map(accountRows.map((a) => [Number(a.member_id), { balance: Number(a.balance), debt: Number(a.debt), version: Number(a.version), lots: 0 }]));
  const locked = [...accounts.keys()];
  if (locked.length === 0) return totals;
  const lots = ((await m.query(
    `SELECT id, member_id, remaining, expires_at FROM points_lot WHERE member_id IN (${marks(locked.length)}) AND expires_at <= ? AND remaining > 0 ORDER BY member_id, expires_at, id`,
    [...locked, ctx.nowMs],
  )) as Record<string, unknown>[]).map((l) => ({ id: Number(l.id), memberId: Number(l.member_id), remaining: Number(l.remaining), expiresAt: Number(l.expires_at) }));
  if (lots.length === 0) return totals;

  // Entries: one per lot, in the order the lot-by-lot job wrote them (member, date, lot id).
  const groups = new Map<string, { memberId: number; expiresAt: number; points: number }>();
  const entryRows = lots.map((lot) => {
    const a = accounts.get(lot.memberId)!;
    a.balance -= lot.remaining;
    a.lots += 1;
    const key = `${lot.memberId}:${lot.expiresAt}`;
    const g = groups.get(key) ?? { memberId: lot.memberId, expiresAt: lot.expiresAt, points: 0 };
    g.points += lot.remaining;
    groups.set(key, g);
    totals.lots += 1;
    totals.points += lot.remaining;
    return [lot.memberId, 'EXPIRE', -lot.remaining, a.balance, 'lot', String(lot.id), null, '积分过期', null, ctx.actor.slice(0, 64), ctx.nowMs, ctx.rulesVersion];
  });
  invariant(ctx.rulesVersion > 0, 'an entry records the rules version it was computed under');
  for (const [memberId, a] of accounts) {
    invariant(a.debt >= 0, 'debt is never negative');
    invariant(a.balance + a.debt >= 0, `member ${memberId}: balance ${a.balance} + debt ${a.debt} is never negative`);
  }
  await insertRows(
    m,
    'ledger_entry',
    ['member_id', 'code', 'delta', 'balance_after', 'ref_type', 'ref_id', 'reverses_entry_id', 'reason', 'breakdown', 'actor', 'created_at', 'rules_version'],
    entryRows,
  );
  // The entries just written are the EXPIRE entries of these lots without movements yet: every committed one
  // has its movement, and no other writer can touch these members' lots while their accounts are locked. (No
  // reliance on consecutive AUTO_INCREMENT ids, which TiDB does not promise.)
  const lotIds = lots.map((l) => l.id);
  const written = (await m.query(
    `SELECT e.id, e.ref_id FROM ledger_entry e WHERE e.ref_type = 'lot' AND e.ref_id IN (${marks(lotIds.length)}) AND e.code = 'EXPIRE' AND NOT EXISTS (SELECT 1 FROM lot_movement mv WHERE mv.entry_id = e.id)`,
    lotIds.map(String),
  )) as { id: unknown; ref_id: string }[];
  invariant(written.length === lots.length, `expiry batch: ${written.length} entries found for ${lots.length} written`);
  const entryOf = new Map(written.map((e) => [Number(e.ref_id), Number(e.id)]));
  const zeroed = await affected(m, `UPDATE points_lot SET remaining = 0 WHERE id IN (${marks(lotIds.length)}) AND remaining > 0`, lotIds);
  invariant(zeroed === lots.length, `expiry batch: ${zeroed} lots zeroed of ${lots.length} due`);
  await insertRows(
    m,
    'lot_movement',
    ['entry_id', 'lot_id', 'member_id', 'delta'],
    lots.map((l) => [entryOf.get(l.id)!, l.id, l.memberId, -l.remaining]),
  );
  const touched = [...accounts.entries()].filter(([, a]) => a.lots > 0);
  const whens = touched.map(() => 'WHEN ? THEN ?').join(' ');
  await m.query(
    `UPDATE member_account SET balance = CASE member_id ${whens} END, version = CASE member_id ${whens} END, updated_at = ? WHERE member_id IN (${marks(touched.length)})`,
    [...touched.flatMap(([id, a]) => [id, a.balance]), ...touched.flatMap(([id, a]) => [id, a.version + a.lots]), ctx.nowMs, ...touched.map(([id]) => id)],
  );
  totals.coupons = await giveBack(m, [...groups.values()], ctx);
  return totals;
}

/** Coupons (one per member and date, above the threshold, never twice) and the notices, two inserts each at most. */
async function giveBack(m: EntityManager, groups: { memberId: number; expiresAt: number; points: number }[], ctx: BatchContext): Promise<number> {
  const tz = ctx.rules.timezone;
  const sourceKey = (g: { memberId: number; expiresAt: number }) => `expiry:${g.memberId}:${g.expiresAt}`;
  const planned = groups.map((g) => ({ g, plan: couponFor(g.points, ctx.rules) })).filter((p) => p.plan.units > 0);
  const issued = await existing(m, 'coupon', 'source_key', planned.map((p) => sourceKey(p.g)));
  const couponExpiresAt = ctx.nowMs + ctx.rules.expiryCoupon.validDays * DAY_MS;
  const coupons = new Map<string, { valueFen: number; minSpendFen: number }>();
  const couponRows: unknown[][] = [];
  for (const { g, plan } of planned) {
    const key = sourceKey(g);
    if (issued.has(key)) continue; // issued by an earlier run
    coupons.set(key, plan);
    couponRows.push([g.memberId, newCouponCode(), key, `${plan.valueFen / 100} 元过期积分返还券`, g.points, plan.valueFen, plan.minSpendFen, plan.costFen, ctx.nowMs, couponExpiresAt]);
  }
  if (couponRows.length > 0) {
    await insertRows(m, 'coupon', ['member_id', 'code', 'source_key', 'title', 'points', 'value_fen', 'min_spend_fen', 'cost_fen', 'issued_at', 'expires_at'], couponRows);
  }
  const until = formatLocal(new Date(couponExpiresAt - 1), tz, 'M月D日');
  const notices: { memberId: number; kind: string; title: string; body: string; key: string }[] = [];
  for (const g of groups) {
    const key = sourceKey(g);
    const c = coupons.get(key);
    if (c) {
      const body = `${g.points} 分已过期,返还 ${c.valueFen / 100} 元券(满 ${c.minSpendFen / 100} 元可用),${until} 前在门店出示卡券页使用。`;
      notices.push({ memberId: g.memberId, kind: 'COUPON_ISSUED', title: '过期积分已转为优惠券', body, key: `coupon:${key}` });
    }
    const day = formatLocal(new Date(g.expiresAt - 1), tz, 'M月D日');
    const body = `${g.points} 分已于 ${day} 到期清零。${c ? `已为您返还 ${c.valueFen / 100} 元优惠券,见「卡券」。` : ''}`;
    notices.push({ memberId: g.memberId, kind: 'EXPIRED', title: '积分已过期', body, key: `expired:${g.memberId}:${g.expiresAt}` });
  }
  // A lot restored after it expired can expire again on the same date: that date was already told.
  const told = await existing(m, 'notification', 'dedupe_key', notices.map((n) => n.key));
  const rows = notices.filter((n) => !told.has(n.key)).map((n) => [n.memberId, n.kind, n.title.slice(0, 100), n.body.slice(0, 500), n.key, ctx.nowMs, null]);
  if (rows.length > 0) await insertRows(m, 'notification', ['member_id', 'kind', 'title', 'body', 'dedupe_key', 'created_at', 'read_at'], rows);
  return couponRows.length;
}
