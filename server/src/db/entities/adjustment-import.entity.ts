import { EntitySchema } from 'typeorm';
import { int, intNull, ms, msNull, pk, str, strNull } from '../columns';

export type ImportStatus = 'previewed' | 'committing' | 'committed';
export type ImportRowStatus = 'invalid' | 'pending' | 'applied' | 'failed';

/**
 * A bulk adjustment import (issue 9 item 5). The preview stores every parsed row; commit applies the pending
 * rows in batches, each batch one transaction that first locks this row, so two commits take turns and a
 * crash loses only the batch in flight. next_line is the progress: every row at or below it is decided.
 */
export interface AdjustmentImport {
  id: number;
  fileName: string | null;
  status: ImportStatus;
  rowCount: number;
  validCount: number;
  invalidCount: number;
  totalPoints: number;
  appliedCount: number;
  failedCount: number;
  nextLine: number;
  contentSha256: string;
  createdBy: number;
  createdName: string;
  createdAt: number;
  committedBy: number | null;
  commitStartedAt: number | null;
  committedAt: number | null;
}

export const AdjustmentImportEntity = new EntitySchema<AdjustmentImport>({
  name: 'AdjustmentImport',
  tableName: 'adjustment_import',
  columns: {
    id: pk,
    fileName: { ...strNull(100), name: 'file_name' },
    status: str(16),
    rowCount: { ...int, name: 'row_count' },
    validCount: { ...int, name: 'valid_count' },
    invalidCount: { ...int, name: 'invalid_count' },
    totalPoints: { ...ms, name: 'total_points' }, // BIGINT read back as a number
    appliedCount: { ...int, name: 'applied_count' },
    failedCount: { ...int, name: 'failed_count' },
    nextLine: { ...int, name: 'next_line' },
    contentSha256: { ...str(64), name: 'content_sha256' },
    createdBy: { ...int, name: 'created_by' },
    createdName: { ...str(64), name: 'created_name' },
    createdAt: { ...ms, name: 'created_at' },
    committedBy: { ...intNull, name: 'committed_by' },
    commitStartedAt: { ...msNull, name: 'commit_started_at' },
    committedAt: { ...msNull, name: 'committed_at' },
  },
});

/** One line of an import: what the file said, the member it resolved to, and its outcome. */
export interface AdjustmentImportRow {
  id: number;
  importId: number;
  line: number;
  memberKey: string;
  memberId: number | null;
  points: number;
  reason: string;
  status: ImportRowStatus;
  error: string | null;
  entryId: number | null;
}

export const AdjustmentImportRowEntity = new EntitySchema<AdjustmentImportRow>({
  name: 'AdjustmentImportRow',
  tableName: 'adjustment_import_row',
  columns: {
    id: pk,
    importId: { ...int, name: 'import_id' },
    line: int,
    memberKey: { ...str(64), name: 'member_key' },
    memberId: { ...intNull, name: 'member_id' },
    points: int,
    reason: str(255),
    status: str(16),
    error: strNull(255),
    entryId: { ...intNull, name: 'entry_id' },
  },
});
