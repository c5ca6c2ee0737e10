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

/**
 * What a member can spend now: spendable lots less debt, never below zero. The one definition (issue 13.1):
 * /me, the shelf's eligibility and the ledger's debit all call this, so the display never promises points
 * the debit refuses. (Credits repay debt before filling lots, so with debt there are normally no lots left.)
 */
export function spendablePoints(lots: LotView[], nowMs: number, debt: number): number {
  let inLots = 0;
  for (const lot of lots) if (isSpendable(lot, nowMs)) inLots += lot.remaining;
  return spendableAfterDebt(inLots, debt);
}

/** The one rule (issue 13.1) for a sum of spendable lots already taken in SQL: lots less debt, never below zero. */
export function spendableAfterDebt(inLots: number, debt: number): number {
  return Math.max(0, inLots - Math.max(0, debt));
}

/** Available (= spendablePoints) and pending sums, given the account's debt. */
export function lotTotals(lots: LotView[], nowMs: number, debt: number): { available: number; pending: number } {
  let pending = 0;
  for (const lot of lots) if (isPending(lot, nowMs)) pending += lot.remaining;
  return { available: spendablePoints(lots, nowMs, debt), pending };
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

/**
 * Points coming back from a cancelled debit are a credit like any other: they repay debt first, and only the
 * rest goes back into the lots they came from, latest-expiring first (the member keeps the longest-lived points).
 * `taken` is the original debit's takes in the order they were made (FIFO, so earliest expiry first).
 */
export function planRestore(taken: LotTake[], debt: number): { repaid: number; puts: LotTake[] } {
  const total = taken.reduce((s, t) => s + t.amount, 0);
  const repaid = Math.min(total, Math.max(0, debt));
  const puts: LotTake[] = [];
  let left = total - repaid;
  for (let i = taken.length - 1; i >= 0 && left > 0; i--) {
    const put = Math.min(taken[i]!.amount, left);
    puts.push({ lotId: taken[i]!.lotId, amount: put });
    left -= put;
  }
  return { repaid, puts };
}
