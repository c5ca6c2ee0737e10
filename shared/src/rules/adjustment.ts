import type { RulesConfig } from '../config';

/**
 * Manual adjustments (issue 9 item 4): who needs a second pair of eyes, and what an adjustment would do to
 * an account. Pure: the server applies the same rule under the account lock; the form shows its preview.
 */
export interface AccountView {
  balance: number;
  /** Spendable now, net of debt (the member's 可用). */
  available: number;
  debt: number;
}

/** A `service` adjustment larger than the configured size waits for an admin; admins apply directly. */
export function needsApproval(role: string, points: number, rules: Pick<RulesConfig, 'adjustments'>): boolean {
  return role !== 'admin' && Math.abs(points) > rules.adjustments.approvalAbovePoints;
}

export type AdjustmentOutcome =
  | { ok: true; balanceAfter: number; debtAfter: number }
  | { ok: false; reason: 'INSUFFICIENT_POINTS'; available: number };

/**
 * What an adjustment does: a credit repays debt first; a debit takes spendable points FIFO and is refused
 * beyond them unless debt is allowed (admin only), when the uncovered part becomes debt. `liveLots` is the sum
 * of unexpired lot remainders (pending included), what a debt-allowing debit can take before booking debt.
 */
export function planAdjustment(account: AccountView, points: number, allowDebt: boolean, liveLots?: number): AdjustmentOutcome {
  if (!Number.isSafeInteger(points) || points === 0) throw new Error(`planAdjustment: bad points ${points}`);
  if (points > 0) {
    const repaid = Math.min(points, account.debt);
    return { ok: true, balanceAfter: account.balance + points, debtAfter: account.debt - repaid };
  }
  const take = -points;
  if (!allowDebt) {
    if (account.debt > 0 || account.available < take) return { ok: false, reason: 'INSUFFICIENT_POINTS', available: Math.max(0, account.available) };
    return { ok: true, balanceAfter: account.balance - take, debtAfter: account.debt };
  }
  const covered = Math.min(take, Math.max(0, liveLots ?? account.balance + account.debt));
  return { ok: true, balanceAfter: account.balance - take, debtAfter: account.debt + (take - covered) };
}
