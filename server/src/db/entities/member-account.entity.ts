import { EntitySchema } from 'typeorm';
import { int, ms, strNull } from '../columns';

/**
 * The balance cache, one row per member, and the row every balance change locks first.
 * Invariant: balance = sum(ledger_entry.delta) = sum(points_lot.remaining) - debt.
 */
export interface MemberAccount {
  memberId: number;
  balance: number;
  debt: number;
  version: number;
  lastCheckinDay: string | null;
  checkinStreak: number;
  updatedAt: number;
}

export const MemberAccountEntity = new EntitySchema<MemberAccount>({
  name: 'MemberAccount',
  tableName: 'member_account',
  columns: {
    memberId: { type: 'int', primary: true, name: 'member_id' },
    balance: int,
    debt: int,
    version: int,
    lastCheckinDay: { ...strNull(10), name: 'last_checkin_day' },
    checkinStreak: { ...int, name: 'checkin_streak' },
    updatedAt: { ...ms, name: 'updated_at' },
  },
});
