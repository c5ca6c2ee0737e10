import type { EntityManager } from 'typeorm';
import { NotificationEntity } from '../db/entities';

/** What the member should hear (issue 11.5): one row per thing, written in the transaction of the thing itself. */
export type NoticeKind =
  | 'EARNED'
  | 'POINTS_AVAILABLE'
  | 'REDEEMED'
  | 'REFUND_REVERSAL'
  | 'EXPIRY_REMINDER'
  | 'EXPIRED'
  | 'COUPON_ISSUED'
  | 'TIER_UP'
  | 'TIER_DOWN'
  | 'TIER_KEPT'
  | 'TIER_AT_RISK'
  | 'RULE_CHANGE'
  | 'VALUE_CHANGE'
  | 'AGREEMENT_UPDATED'
  | 'DISPUTE_ANSWERED'
  | 'DONATED'
  | 'PURCHASE';

export interface NoticeInput {
  memberId: number;
  kind: NoticeKind;
  title: string;
  body: string;
  /** Unique when set: the same thing is never told twice (a re-run inserts nothing). */
  dedupeKey?: string | null;
}

/**
 * Appends a notice inside the caller's transaction: it commits with the thing it tells of, or not at all,
 * so no event is lost and none is made up. Delivery (in-app, WeChat) reads these rows later.
 */
export async function notify(m: EntityManager, n: NoticeInput, nowMs: number): Promise<void> {
  await m.getRepository(NotificationEntity).insert({
    memberId: n.memberId,
    kind: n.kind,
    title: n.title.slice(0, 100),
    body: n.body.slice(0, 500),
    dedupeKey: n.dedupeKey ?? null,
    createdAt: nowMs,
    readAt: null,
  });
}

/**
 * The same notice to every member, in one set-based statement in the caller's transaction (a value change
 * announced, a new agreement version): no per-member round trip, however many members there are.
 */
export async function notifyAllMembers(m: EntityManager, n: Omit<NoticeInput, 'memberId' | 'dedupeKey'>, nowMs: number): Promise<void> {
  await m.query(`INSERT INTO notification (member_id, kind, title, body, dedupe_key, created_at, read_at) SELECT id, ?, ?, ?, NULL, ?, NULL FROM member`, [
    n.kind,
    n.title.slice(0, 100),
    n.body.slice(0, 500),
    nowMs,
  ]);
}
