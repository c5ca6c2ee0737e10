import type { EntityManager } from 'typeorm';
import { expiryReminderText, formatLocal, offerPrice, reminderDue, type RulesConfig } from '@jifen/shared';
import { affected, lotsByMember } from './job-lease.service';

export interface ReminderDue {
  memberId: number;
  expiresAt: number;
  points: number;
  days: number;
  dedupeKey: string;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The reminders due for these members now (one grouped read: per member and expiry date, not per lot). */
export async function remindersDue(m: EntityManager, kind: 'sqlite' | 'mysql', rules: RulesConfig, nowMs: number, range: { from: number; to: number }, membersMax: number): Promise<{ due: ReminderDue[]; lastMember: number | null }> {
  const horizon = horizonOf(rules, nowMs);
  const members = (await m.query(
    `SELECT DISTINCT member_id FROM ${lotsByMember(kind)} WHERE member_id >= ? AND member_id <= ? AND remaining > 0 AND expires_at > ? AND expires_at <= ? ORDER BY member_id LIMIT ${membersMax}`,
    [range.from, range.to, nowMs, horizon],
  )) as { member_id: unknown }[];
  if (members.length === 0) return { due: [], lastMember: null };
  const ids = members.map((r) => Number(r.member_id));
  const groups = (await m.query(
    `SELECT member_id, expires_at, SUM(remaining) AS points FROM points_lot WHERE member_id IN (${marks(ids.length)}) AND remaining > 0 AND expires_at > ? AND expires_at <= ? GROUP BY member_id, expires_at ORDER BY member_id, expires_at`,
    [...ids, nowMs, horizon],
  )) as Record<string, unknown>[];
  const now = new Date(nowMs);
  const due = groups.flatMap((g) => {
    const memberId = Number(g.member_id);
    const expiresAt = Number(g.expires_at);
    const days = reminderDue(new Date(expiresAt), now, rules);
    return days === null ? [] : [{ memberId, expiresAt, points: Number(g.points), days, dedupeKey: `expiry:${memberId}:${expiresAt}:${days}` }];
  });
  return { due, lastMember: ids[ids.length - 1]! };
}

export function horizonOf(rules: RulesConfig, nowMs: number): number {
  return nowMs + Math.max(...rules.expiry.reminderDays, 0) * 86_400_000 + 86_400_000;
}

/** Which of these reminders were told already (one read). */
export async function alreadyTold(m: EntityManager, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = (await m.query(`SELECT dedupe_key FROM notification WHERE dedupe_key IN (${marks(keys.length)})`, keys)) as { dedupe_key: string }[];
  return new Set(rows.map((r) => r.dedupe_key));
}

/**
 * Writes a page of reminders (at most `max` not told yet) inside the caller's transaction with one statement per table: the 7-day ones'
 * shelf offers (one multi-row insert, offers already made skipped) and the notices (one multi-row insert).
 * Keys told meanwhile are re-read inside the transaction and left out. Returns how many were written; a
 * unique violation (another writer got a key in between) surfaces so the caller retries the page.
 */
export async function writeReminders(m: EntityManager, rules: RulesConfig, nowMs: number, due: ReminderDue[], max: number): Promise<number> {
  const told = await alreadyTold(m, due.map((d) => d.dedupeKey));
  const fresh = due.filter((d) => !told.has(d.dedupeKey)).slice(0, Math.max(0, max));
  if (fresh.length === 0) return 0;
  const lastCall = Math.min(...rules.expiry.reminderDays);
  const pct = rules.expiryCoupon.offerPct;
  const offered = new Set<string>();
  const offers = pct > 0 ? fresh.filter((d) => d.days === lastCall) : [];
  if (offers.length > 0) {
    const made = (await m.query(`SELECT source_key FROM member_offer WHERE source_key IN (${marks(offers.length)})`, offers.map((d) => d.dedupeKey))) as { source_key: string }[];
    const madeKeys = new Set(made.map((r) => r.source_key));
    const rows = offers.filter((d) => !madeKeys.has(d.dedupeKey));
    if (rows.length > 0) {
      await m.query(
        `INSERT INTO member_offer (member_id, kind, pct, \`until\`, source_key, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((d) => [d.memberId, 'EXPIRING_DISCOUNT', pct, d.expiresAt, d.dedupeKey, nowMs]),
      );
      for (const d of rows) offered.add(d.dedupeKey);
    }
  }
  const notices = fresh.map((d) => [d.memberId, 'EXPIRY_REMINDER', '积分即将过期', reminderBody(rules, d, offered.has(d.dedupeKey)).slice(0, 500), d.dedupeKey, nowMs, null]);
  const n = await affected(m, `INSERT INTO notification (member_id, kind, title, body, dedupe_key, created_at, read_at) VALUES ${notices.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, notices.flat());
  return n;
}

export function reminderBody(rules: RulesConfig, d: { points: number; expiresAt: number }, offered: boolean): string {
  const tz = rules.timezone;
  const c = rules.expiryCoupon;
  const parts = [`${expiryReminderText(d.points, d.expiresAt, tz)},请尽快使用。`];
  if (offered) {
    parts.push(`专享:${formatLocal(new Date(d.expiresAt - 1), tz, 'M月D日')} 前兑换货架 ${(100 - c.offerPct) / 10} 折(如 100 分的商品只需 ${offerPrice(100, c.offerPct)} 分)。`);
  }
  if (c.enabled) parts.push(`未用完的每 ${c.pointsPerCoupon} 分将返还 ${c.valueFen / 100} 元优惠券。`);
  return parts.join('');
}

