import { EntitySchema } from 'typeorm';
import { int, pk } from '../columns';

/** Which lots an entry took points from (negative) or put back into (positive). */
export interface LotMovement {
  id: number;
  entryId: number;
  lotId: number;
  memberId: number;
  delta: number;
}

export const LotMovementEntity = new EntitySchema<LotMovement>({
  name: 'LotMovement',
  tableName: 'lot_movement',
  columns: {
    id: pk,
    entryId: { ...int, name: 'entry_id' },
    lotId: { ...int, name: 'lot_id' },
    memberId: { ...int, name: 'member_id' },
    delta: int,
  },
});
