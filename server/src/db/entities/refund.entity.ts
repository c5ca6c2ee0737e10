import { EntitySchema } from 'typeorm';
import { int, ms, pk } from '../columns';

export interface Refund {
  id: number;
  purchaseId: number;
  memberId: number;
  amountFen: number;
  pointsReversed: number;
  entryId: number | null;
  clerkId: number;
  createdAt: number;
}

export const RefundEntity = new EntitySchema<Refund>({
  name: 'Refund',
  tableName: 'refund',
  columns: {
    id: pk,
    purchaseId: { ...int, name: 'purchase_id' },
    memberId: { ...int, name: 'member_id' },
    amountFen: { ...int, name: 'amount_fen' },
    pointsReversed: { ...int, name: 'points_reversed' },
    entryId: { type: 'int', nullable: true, name: 'entry_id' },
    clerkId: { ...int, name: 'clerk_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
