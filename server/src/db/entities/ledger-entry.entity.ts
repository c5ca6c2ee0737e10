import { EntitySchema } from 'typeorm';
import { int, intNull, ms, pk, str, strNull, textNull } from '../columns';
import type { LedgerCode } from '@jifen/shared';

/** Append-only. Never updated, never deleted: a mistake is fixed by a reversing entry. */
export interface LedgerEntry {
  id: number;
  memberId: number;
  code: LedgerCode;
  delta: number;
  balanceAfter: number;
  refType: string | null;
  refId: string | null;
  reversesEntryId: number | null;
  reason: string;
  breakdown: string | null; // JSON of BreakdownLine[]
  actor: string;
  createdAt: number;
  /** The rules version in force when the entry was computed (rules_version.id). */
  rulesVersion: number | null;
}

export const LedgerEntryEntity = new EntitySchema<LedgerEntry>({
  name: 'LedgerEntry',
  tableName: 'ledger_entry',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    code: str(32),
    delta: int,
    balanceAfter: { ...int, name: 'balance_after' },
    refType: { ...strNull(32), name: 'ref_type' },
    refId: { ...strNull(64), name: 'ref_id' },
    reversesEntryId: { ...intNull, name: 'reverses_entry_id' },
    reason: str(255),
    breakdown: textNull,
    actor: str(64),
    createdAt: { ...ms, name: 'created_at' },
    rulesVersion: { ...intNull, name: 'rules_version' },
  },
});
