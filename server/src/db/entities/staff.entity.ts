import { EntitySchema } from 'typeorm';
import type { StaffRole } from '@jifen/shared';
import { bool, int, intNull, ms, pk, str } from '../columns';

export interface Staff {
  id: number;
  username: string;
  /** The person's name as staff screens show it ('' when not given). */
  displayName: string;
  passwordHash: string;
  role: StaffRole;
  storeId: number | null;
  disabled: boolean;
  /** Bumped whenever the account's access changes (disable, role, store, password): older tokens stop working. */
  sessionVersion: number;
  createdAt: number;
}

export const StaffEntity = new EntitySchema<Staff>({
  name: 'Staff',
  tableName: 'staff',
  columns: {
    id: pk,
    username: str(64),
    displayName: { ...str(32), name: 'display_name', default: '' },
    passwordHash: { ...str(255), name: 'password_hash' },
    role: str(16),
    storeId: { ...intNull, name: 'store_id' },
    disabled: bool,
    sessionVersion: { ...int, name: 'session_version' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
