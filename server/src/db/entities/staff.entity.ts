import { EntitySchema } from 'typeorm';
import { bool, intNull, ms, pk, str } from '../columns';

export interface Staff {
  id: number;
  username: string;
  passwordHash: string;
  role: 'clerk' | 'marketing' | 'admin';
  storeId: number | null;
  disabled: boolean;
  createdAt: number;
}

export const StaffEntity = new EntitySchema<Staff>({
  name: 'Staff',
  tableName: 'staff',
  columns: {
    id: pk,
    username: str(64),
    passwordHash: { ...str(255), name: 'password_hash' },
    role: str(16),
    storeId: { ...intNull, name: 'store_id' },
    disabled: bool,
    createdAt: { ...ms, name: 'created_at' },
  },
});
