import type { EntityManager } from 'typeorm';
import { couponFor, formatLocal, type RulesConfig } from '@jifen/shared';
import { invariant } from '../errors';
import { selectAll, WriteBatch, type Value } from '../db/write-batch';
import { lotsByMember } from './job-lease.service';
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
  /** The rules version every EXPIRE entry records (synced inside the transaction: by the caller, or by `prelude.check`). */
  rulesVersion: number | (() => number);
  /**
   * Statements sent first in the batch's first round trip (the lease fence, the newest rules version); `check`
   * sees their results before anything is written and throws to roll the batch back.
   */
  prelude?: { reads: { sql: string; params: unknown[] }[]; check(results: unknown[]): Promise<void> };
  actor: string;
  /** The transaction's moment: entries, coupons and notices are dated with it; lots due at or before it go. */
  nowMs: number;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Queues multi-row INSERTs of these rows on the write batch. */
function insertRows(w: WriteBatch, table: string, columns: string[], rows: unknown[][]): void {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const one = `(${marks(columns.length)})`;
    w.exec(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => one).join(', ')}`, chunk.flat() as Value[]);
  }
}

/** `ledger_entry e` read through its (ref_type, ref_id) index (see lotsByMember). */
function entriesByRef(kind: 'sqlite' | 'mysql'): string {
  return kind === 'mysql' ? 'ledger_entry e FORCE INDEX (ix_ledger_entry_ref_type_ref_id)' : 'ledger_entry e INDEXED BY ix_ledger_entry_ref_type_ref_id';
}

/** Which of these keys each unique column already holds (one round trip on MySQL for all of them). */
async function existing(m: EntityManager, asks: { table: string; column: string; keys: string[] }[]): Promise<Set<string>[]> {
  const live = asks.filter((a) => a.keys.length > 0);
  const rows = await selectAll(
    m,
    live.map((a) => ({ sql: `SELECT ${a.column} AS k FROM ${a.table} WHERE ${a.column} IN (${marks(a.keys.length)})`, params: a.keys })),
  );
  return asks.map((a) => {
    const i = live.indexOf(a);
    return new Set(i < 0 ? [] : (rows[i] as { k: unknown }[]).map((r) => String(r.k)));
  });
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
  // One round trip on MySQL: the prelude (the lease fence first), the accounts locked (member id order), then
  // their due lots read under that lock.
  const pre = ctx.prelude?.reads ?? [];
  const results = await selectAll(m, [
    ...pre,
    { sql: `SELECT member_id, balance, debt, version FROM member_account WHERE member_id IN (${marks(ids.length)}) ORDER BY member_id${lock}`, params: ids },
    {
      sql: `SELECT id, member_id, remaining, expires_at FROM ${lotsByMember(ctx.kind)} WHERE member_id IN (${marks(ids.length)}) AND expires_at <= ? AND remaining > 0 ORDER BY member_id, expires_at, id`,
      params: [...ids, ctx.nowMs],
    },
  ]);
  if (ctx.prelude) await ctx.prelude.check(results.slice(0, pre.length));
  const [accountRows, lotRows] = results.slice(pre.length) as [Record<string, unknown>[], Record<string, unknown>[]];
  const rulesVersion = typeof ctx.rulesVersion === 'function' ? ctx.rulesVersion() : ctx.rulesVersion;
  const accounts = new Map(accountRows.map((a) => [Number(a.member_id), { balance: Number(a.balance), debt: Number(a.debt), version: Number(a.version), lots: 0 }]));
  if (accounts.size === 0) return totals;
  const lots = lotRows
    .map((l) => ({ id: Number(l.id), memberId: Number(l.member_id), remaining: Number(l.remaining), expiresAt: Number(l.expires_at) }))
    .filter((l) => accounts.has(l.memberId)); // a lot of a member without an account row is never touched unlocked
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
    return [lot.memberId, 'EXPIRE', -lot.remaining, a.balance, 'lot', String(lot.id), null, '积分过期', null, ctx.actor.slice(0, 64), ctx.nowMs, rulesVersion];
  });
  invariant(rulesVersion > 0, 'an entry records the rules version it was computed under');
  for (const [memberId, a] of accounts) {
    invariant(a.debt >= 0, 'debt is never negative');
    invariant(a.balance + a.debt >= 0, `member ${memberId}: balance ${a.balance} + debt ${a.debt} is never negative`);
  }
  // Coupons and notices already given (one round trip on MySQL), then every write in one more (WriteBatch).
  const give = await giveBackPlan(m, [...groups.values()], ctx);
  const w = new WriteBatch(m);
  insertRows(
    w,
    'ledger_entry',
    ['member_id', 'code', 'delta', 'balance_after', 'ref_type', 'ref_id', 'reverses_entry_id', 'reason', 'breakdown', 'actor', 'created_at', 'rules_version'],
    entryRows,
  );
  // Each movement names the EXPIRE entry just written for its lot: the one without a movement yet (every
  // committed one has its movement, and no other writer can touch these members' lots while their accounts are
  // locked). Read set-based in the same statement, through the (ref_type, ref_id) index named explicitly: past
  // 200 values MariaDB stops estimating an IN list by index dives and chose a full scan of ledger_entry (40% of
  // a batch at 100k members). No reliance on consecutive AUTO_INCREMENT ids, which TiDB does not promise.
  const lotIds = lots.map((l) => l.id);
  for (let i = 0; i < lotIds.length; i += ROWS_PER_INSERT) {
    const chunk = lotIds.slice(i, i + ROWS_PER_INSERT).map(String);
    w.exec(
      `INSERT INTO lot_movement (entry_id, lot_id, member_id, delta) SELECT e.id, CAST(e.ref_id AS ${ctx.kind === 'mysql' ? 'SIGNED' : 'INTEGER'}), e.member_id, e.delta FROM ${entriesByRef(ctx.kind)} WHERE e.ref_type = 'lot' AND e.ref_id IN (${marks(chunk.length)}) AND e.code = 'EXPIRE' AND NOT EXISTS (SELECT 1 FROM lot_movement mv WHERE mv.entry_id = e.id)`,
      chunk,
      (n) => invariant(n === chunk.length, `expiry batch: ${n} movements for ${chunk.length} lots`),
    );
  }
  w.exec(`UPDATE points_lot SET remaining = 0 WHERE id IN (${marks(lotIds.length)}) AND remaining > 0`, lotIds, (n) =>
    invariant(n === lots.length, `expiry batch: ${n} lots zeroed of ${lots.length} due`),
  );
  const touched = [...accounts.entries()].filter(([, a]) => a.lots > 0);
  const whens = touched.map(() => 'WHEN ? THEN ?').join(' ');
  w.exec(
    `UPDATE member_account SET balance = CASE member_id ${whens} END, version = CASE member_id ${whens} END, updated_at = ? WHERE member_id IN (${marks(touched.length)})`,
    [...touched.flatMap(([id, a]) => [id, a.balance]), ...touched.flatMap(([id, a]) => [id, a.version + a.lots]), ctx.nowMs, ...touched.map(([id]) => id)],
  );
  if (give.couponRows.length > 0) insertRows(w, 'coupon', ['member_id', 'code', 'source_key', 'title', 'points', 'value_fen', 'min_spend_fen', 'cost_fen', 'issued_at', 'expires_at'], give.couponRows);
  if (give.noticeRows.length > 0) insertRows(w, 'notification', ['member_id', 'kind', 'title', 'body', 'dedupe_key', 'created_at', 'read_at'], give.noticeRows);
  await w.flush();
  totals.coupons = give.couponRows.length;
  return totals;
}

/** Coupons (one per member and date, above the threshold, never twice) and the notices to write: the keys already given are read in one round trip. */
async function giveBackPlan(
  m: EntityManager,
  groups: { memberId: number; expiresAt: number; points: number }[],
  ctx: BatchContext,
): Promise<{ couponRows: unknown[][]; noticeRows: unknown[][] }> {
  const tz = ctx.rules.timezone;
  const sourceKey = (g: { memberId: number; expiresAt: number }) => `expiry:${g.memberId}:${g.expiresAt}`;
  const planned = groups.map((g) => ({ g, plan: couponFor(g.points, ctx.rules) })).filter((p) => p.plan.units > 0);
  // Every key a notice of these groups could have (both kinds), read with the coupons' in one round trip.
  const noticeKeys = groups.flatMap((g) => [`coupon:${sourceKey(g)}`, `expired:${g.memberId}:${g.expiresAt}`]);
  const [issued, told] = (await existing(m, [
    { table: 'coupon', column: 'source_key', keys: planned.map((p) => sourceKey(p.g)) },
    { table: 'notification', column: 'dedupe_key', keys: noticeKeys },
  ])) as [Set<string>, Set<string>];
  const couponExpiresAt = ctx.nowMs + ctx.rules.expiryCoupon.validDays * DAY_MS;
  const coupons = new Map<string, { valueFen: number; minSpendFen: number }>();
  const couponRows: unknown[][] = [];
  for (const { g, plan } of planned) {
    const key = sourceKey(g);
    if (issued.has(key)) continue; // issued by an earlier run
    coupons.set(key, plan);
    couponRows.push([g.memberId, newCouponCode(), key, `${plan.valueFen / 100} 元过期积分返还券`, g.points, plan.valueFen, plan.minSpendFen, plan.costFen, ctx.nowMs, couponExpiresAt]);
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
  const noticeRows = notices.filter((n) => !told.has(n.key)).map((n) => [n.memberId, n.kind, n.title.slice(0, 100), n.body.slice(0, 500), n.key, ctx.nowMs, null]);
  return { couponRows, noticeRows };
}
