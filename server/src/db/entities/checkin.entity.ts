import { EntitySchema } from 'typeorm';
import { int, ms, pk, str } from '../columns';

/** One row per member per local day; the unique index is the backstop for "once a day". */
export interface Checkin {
  id: number;
  memberId: number;
  day: string;
  streak: number;
  points: number;
  entryId: number;
  createdAt: number;
}

export const CheckinEntity = new EntitySchema<Checkin>({
  name: 'Checkin',
  tableName: 'checkin',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    day: str(10),
    streak: int,
    points: int,
    entryId: { ...int, name: 'entry_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
