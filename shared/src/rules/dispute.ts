/**
 * Disputes (积分申诉, issue 11 item 2). A member files one (optionally about a ledger entry); staff answer
 * within the SLA (rules.disputes.slaDays, 7 by default). `open` waits for staff; `answered` carries the
 * answer (and maybe an adjustment); `closed` is the member's last word: withdrawn while open, or settled after
 * the answer.
 */
export const DISPUTE_STATUSES = ['open', 'answered', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_NAMES: Record<DisputeStatus, string> = { open: '处理中', answered: '已答复', closed: '已关闭' };

const DAY_MS = 86_400_000;

/** When staff must have answered: filed + slaDays (whole days, so the deadline is the same time of day). */
export function disputeDueAt(createdAtMs: number, slaDays: number): number {
  return createdAtMs + slaDays * DAY_MS;
}

export interface DisputeTiming {
  /** ms until the deadline (negative once past); for an answered one, the margin it was answered with. */
  msLeft: number;
  overdue: boolean;
  /** null while unanswered. */
  answeredInTime: boolean | null;
}

/** The queue's clock: time left, overdue (open past the deadline), answered in time. */
export function disputeTiming(d: { dueAt: number; answeredAt: number | null }, nowMs: number): DisputeTiming {
  if (d.answeredAt !== null) return { msLeft: d.dueAt - d.answeredAt, overdue: false, answeredInTime: d.answeredAt <= d.dueAt };
  return { msLeft: d.dueAt - nowMs, overdue: nowMs > d.dueAt, answeredInTime: null };
}

/** "还剩 2天3小时" / "超时 5小时": whole hours, days when 24 h or more. */
export function timeLeftLabel(msLeft: number): string {
  const over = msLeft < 0;
  const hours = Math.floor(Math.abs(msLeft) / 3_600_000);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  const span = d > 0 ? `${d}天${h}小时` : hours > 0 ? `${h}小时` : '不到1小时';
  return over ? `超时 ${span}` : `还剩 ${span}`;
}
