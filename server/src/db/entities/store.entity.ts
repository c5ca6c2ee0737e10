import { EntitySchema } from 'typeorm';
import { msNull, pk, str } from '../columns';

export interface Store {
  id: number;
  code: string;
  name: string;
  /** When an admin closed the store (no new purchases, no new clerks); null while open. */
  closedAt: number | null;
}

export const StoreEntity = new EntitySchema<Store>({
  name: 'Store',
  tableName: 'store',
  columns: { id: pk, code: str(32), name: str(100), closedAt: { ...msNull, name: 'closed_at' } },
});
