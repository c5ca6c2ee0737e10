import { EntitySchema } from 'typeorm';
import { int, ms, pk, strNull } from '../columns';

/** Every credit is a lot with its own expiry; pending until activatesAt (purchase return window). */
export interface PointsLot {
  id: number;
  memberId: number;
  entryId: number;
  amount: number;
  remaining: number;
  earnedAt: number;
  activatesAt: number;
  expiresAt: number;
  refType: string | null;
  refId: string | null;
}

export const PointsLotEntity = new EntitySchema<PointsLot>({
  name: 'PointsLot',
  tableName: 'points_lot',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    entryId: { ...int, name: 'entry_id' },
    amount: int,
    remaining: int,
    earnedAt: { ...ms, name: 'earned_at' },
    activatesAt: { ...ms, name: 'activates_at' },
    expiresAt: { ...ms, name: 'expires_at' },
    refType: { ...strNull(32), name: 'ref_type' },
    refId: { ...strNull(64), name: 'ref_id' },
  },
});
