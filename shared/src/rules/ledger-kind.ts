import type { LedgerCode } from '../schemas/me';

/**
 * The 明细 filter (issue 13.3): every entry is exactly one of 获得 (points in), 使用 (points out: redemptions,
 * refund reversals, deductions) or 过期 (expiry), so 全部 is the three together. The server filters with the
 * same rule in SQL (MembersService.ledger); this function is the reference the tests hold it to.
 */
export const LEDGER_KINDS = ['all', 'earn', 'spend', 'expire'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_KIND_LABEL: Record<LedgerKind, string> = { all: '全部', earn: '获得', spend: '使用', expire: '过期' };

export function ledgerKindOf(e: { code: LedgerCode; delta: number }): Exclude<LedgerKind, 'all'> {
  if (e.code === 'EXPIRE') return 'expire';
  return e.delta > 0 ? 'earn' : 'spend';
}
