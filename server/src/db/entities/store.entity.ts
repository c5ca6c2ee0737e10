import { EntitySchema } from 'typeorm';
import { pk, str } from '../columns';

export interface Store {
  id: number;
  code: string;
  name: string;
}

export const StoreEntity = new EntitySchema<Store>({
  name: 'Store',
  tableName: 'store',
  columns: { id: pk, code: str(32), name: str(100) },
});
