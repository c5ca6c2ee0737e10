import type { StoreDto } from '@jifen/shared';
import { StoreEntity } from '../db/entities';
import type { TxRunner } from '../db/transaction';

const STORE_LIST_MAX = 500;

/** Stores: the list the back office and campaign targeting read. */
export class StoresService {
  constructor(private readonly tx: TxRunner) {}

  async list(): Promise<StoreDto[]> {
    const stores = await this.tx.manager.getRepository(StoreEntity).find({ order: { id: 'ASC' }, take: STORE_LIST_MAX });
    return stores.map((st) => ({ id: st.id, code: st.code, name: st.name }));
  }
}
