import { EntitySchema } from 'typeorm';
import type { AdjustmentStatus } from '@jifen/shared';
import { bool, int, intNull, ms, msNull, pk, str, strNull } from '../columns';

/**
 * A manual adjustment (issue 9 item 4): applied at once, or a request waiting for an admin (pending) that is
 * approved (applied, exactly once: the status moves under the member's account lock) or rejected. The ADJUST
 * ledger entry points back here (ref_type 'adjustment'); link_type/link_id say what it answers (a dispute).
 */
export interface Adjustment {
  id: number;
  memberId: number;
  points: number;
  reason: string;
  allowDebt: boolean;
  status: AdjustmentStatus;
  requestedBy: number;
  requestedName: string;
  requestedRole: string | null;
  decidedBy: number | null;
  decidedName: string | null;
  decidedRole: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  entryId: number | null;
  linkType: string | null;
  linkId: string | null;
  createdAt: number;
}

export const AdjustmentEntity = new EntitySchema<Adjustment>({
  name: 'Adjustment',
  tableName: 'adjustment',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    points: int,
    reason: str(255),
    allowDebt: { ...bool, name: 'allow_debt' },
    status: str(16),
    requestedBy: { ...int, name: 'requested_by' },
    requestedName: { ...str(64), name: 'requested_name' },
    requestedRole: { ...strNull(16), name: 'requested_role' },
    decidedBy: { ...intNull, name: 'decided_by' },
    decidedName: { ...strNull(64), name: 'decided_name' },
    decidedRole: { ...strNull(16), name: 'decided_role' },
    decidedAt: { ...msNull, name: 'decided_at' },
    decisionNote: { ...strNull(255), name: 'decision_note' },
    entryId: { ...intNull, name: 'entry_id' },
    linkType: { ...strNull(32), name: 'link_type' },
    linkId: { ...strNull(64), name: 'link_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
