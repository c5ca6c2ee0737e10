/**
 * Lot planning: which lots a debit consumes (FIFO by expiry, then id) and where a reversal takes points
 * from. Pure: the ledger service loads the member's lots under lock and applies the plan.
 */
export interface LotView {
  id: number;
  remaining: number;
  expiresAt: number; // epoch ms, exclusive
  activatesAt: number; // epoch ms; pending until then
  refType?: string | null;
  refId?: string | null;
}

export interface LotTake {
  lotId: number;
  amount: number;
}

export function isSpendable(lot: LotView, nowMs: number): boolean {
  return lot.remaining > 0 && lot.activatesAt <= nowMs && nowMs < lot.expiresAt;
}

export function isPending(lot: LotView, nowMs: number): boolean {
  return lot.remaining > 0 && lot.activatesAt > nowMs && nowMs < lot.expiresAt;
}

function fifo(a: LotView, b: LotView): number {
  return a.expiresAt - b.expiresAt || a.id - b.id;
}

/** Available (spendable) and pending sums, given the account's debt. */
export function lotTotals(lots: LotView[], nowMs: number, debt: number): { available: number; pending: number } {
  let available = 0;
  let pending = 0;
  for (const lot of lots) {
    if (isSpendable(lot, nowMs)) available += lot.remaining;
    else if (isPending(lot, nowMs)) pending += lot.remaining;
  }
  return { available: available - debt, pending };
}

/** FIFO debit over spendable lots. Either the full amount is covered or nothing is taken. */
export function planDebit(lots: LotView[], amount: number, nowMs: number): { ok: true; takes: LotTake[] } | { ok: false; available: number } {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`planDebit: bad amount ${amount}`);
  const spendable = lots.filter((l) => isSpendable(l, nowMs)).sort(fifo);
  const takes: LotTake[] = [];
  let left = amount;
  for (const lot of spendable) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    takes.push({ lotId: lot.id, amount: take });
    left -= take;
  }
  if (left > 0) return { ok: false, available: amount - left };
  return { ok: true, takes };
}

/**
 * A reversal (refund of earned points): the order's own lots first (pending or not), then every other
 * unexpired lot FIFO; what cannot be covered becomes debt that later earnings repay.
 */
export function planReversal(
  lots: LotView[],
  amount: number,
  nowMs: number,
  own: { refType: string; refId: string },
): { takes: LotTake[]; debt: number } {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`planReversal: bad amount ${amount}`);
  const live = lots.filter((l) => l.remaining > 0 && nowMs < l.expiresAt);
  const isOwn = (l: LotView) => l.refType === own.refType && l.refId === own.refId;
  const ordered = [...live.filter(isOwn).sort(fifo), ...live.filter((l) => !isOwn(l)).sort(fifo)];
  const takes: LotTake[] = [];
  let left = amount;
  for (const lot of ordered) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    takes.push({ lotId: lot.id, amount: take });
    left -= take;
  }
  return { takes, debt: left };
}

/** A credit first repays debt; the rest lands in the new lot. */
export function planCredit(amount: number, debt: number): { repaid: number; lotRemaining: number } {
  const repaid = Math.min(amount, Math.max(0, debt));
  return { repaid, lotRemaining: amount - repaid };
}
