import { EntitySchema } from 'typeorm';
import { int, intNull, ms, msNull, pk, str } from '../columns';

export type RedemptionStatus = 'AWAITING_PICKUP' | 'FULFILLED' | 'CANCELLED';

export interface Redemption {
  id: number;
  memberId: number;
  rewardId: number;
  quantity: number;
  points: number;
  pickupCode: string;
  status: RedemptionStatus;
  entryId: number;
  cancelEntryId: number | null;
  createdAt: number;
  fulfilledAt: number | null;
  fulfilledBy: number | null;
  fulfilledStoreId: number | null;
  cancelledAt: number | null;
}

export const RedemptionEntity = new EntitySchema<Redemption>({
  name: 'Redemption',
  tableName: 'redemption',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    rewardId: { ...int, name: 'reward_id' },
    quantity: int,
    points: int,
    pickupCode: { ...str(16), name: 'pickup_code' },
    status: str(20),
    entryId: { ...int, name: 'entry_id' },
    cancelEntryId: { ...intNull, name: 'cancel_entry_id' },
    createdAt: { ...ms, name: 'created_at' },
    fulfilledAt: { ...msNull, name: 'fulfilled_at' },
    fulfilledBy: { ...intNull, name: 'fulfilled_by' },
    fulfilledStoreId: { ...intNull, name: 'fulfilled_store_id' },
    cancelledAt: { ...msNull, name: 'cancelled_at' },
  },
});
