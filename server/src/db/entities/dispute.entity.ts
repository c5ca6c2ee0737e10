import { EntitySchema } from 'typeorm';
import type { DisputeStatus } from '@jifen/shared';
import { int, intNull, ms, msNull, pk, str, strNull, textNull } from '../columns';

/**
 * A member's dispute (积分申诉, issue 11 item 2). due_at is fixed when filed (created + SLA days), so a later
 * change of the SLA never moves a promise already made. The answer's adjustment, if any, is an adjustment
 * row linked back here (link_type 'dispute').
 */
export interface Dispute {
  id: number;
  memberId: number;
  entryId: number | null;
  text: string;
  /** JSON array of image URLs, or null. */
  images: string | null;
  status: DisputeStatus;
  createdAt: number;
  dueAt: number;
  answerText: string | null;
  answerPoints: number | null;
  answeredBy: number | null;
  answeredName: string | null;
  answeredAt: number | null;
  adjustmentId: number | null;
  closedAt: number | null;
}

export const DisputeEntity = new EntitySchema<Dispute>({
  name: 'Dispute',
  tableName: 'dispute',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    entryId: { ...intNull, name: 'entry_id' },
    text: str(2000),
    images: textNull,
    status: str(16),
    createdAt: { ...ms, name: 'created_at' },
    dueAt: { ...ms, name: 'due_at' },
    answerText: { ...strNull(2000), name: 'answer_text' },
    answerPoints: { ...intNull, name: 'answer_points' },
    answeredBy: { ...intNull, name: 'answered_by' },
    answeredName: { ...strNull(64), name: 'answered_name' },
    answeredAt: { ...msNull, name: 'answered_at' },
    adjustmentId: { ...intNull, name: 'adjustment_id' },
    closedAt: { ...msNull, name: 'closed_at' },
  },
});
