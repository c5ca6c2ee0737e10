import type { StoreDto } from '@jifen/shared';
import { AppError } from '../errors';
import { StoreEntity, type Store } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';

const STORE_LIST_MAX = 500;

function snapshot(s: Store) {
  return { code: s.code, name: s.name, closedAt: s.closedAt === null ? null : new Date(s.closedAt).toISOString() };
}

/**
 * Stores: the list the back office and campaign targeting read, and the admin's writes (issue 9 item 6),
 * each audited in its own transaction. Closing a store stops new purchases there (STORE_CLOSED at the
 * till) and new clerks being assigned to it; its history, refunds of its orders and pickups of rewards
 * stay as they were, and it can be reopened. Codes never change (receipts and the CLI name stores by code).
 */
export class StoresService {
  constructor(
    private readonly tx: TxRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<StoreDto[]> {
    const stores = await this.tx.manager.getRepository(StoreEntity).find({ order: { id: 'ASC' }, take: STORE_LIST_MAX });
    return stores.map(toDto);
  }

  /** The store id for a code (the CLI names stores by code), or null. */
  async idOf(code: string): Promise<number | null> {
    return (await this.tx.manager.getRepository(StoreEntity).findOne({ where: { code: code.trim().toUpperCase() } }))?.id ?? null;
  }

  async create(actor: Actor, input: { code: string; name: string }): Promise<StoreDto> {
    try {
      return await this.tx.run(async (m) => {
        const repo = m.getRepository(StoreEntity);
        if (await repo.findOne({ where: { code: input.code } })) throw new AppError('STORE_CODE_TAKEN');
        const row = { code: input.code, name: input.name, closedAt: null };
        const ins = await repo.insert(row);
        const created: Store = { ...row, id: Number(ins.identifiers[0]!.id) };
        await this.audit.record(m, actor, { action: 'store.create', targetType: 'store', targetId: created.id, before: null, after: snapshot(created) });
        return toDto(created);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('STORE_CODE_TAKEN');
      throw e;
    }
  }

  /** Rename and/or close / reopen; a change that changes nothing writes nothing. */
  async update(actor: Actor, id: number, change: { name?: string; closed?: boolean }): Promise<StoreDto> {
    return this.tx.run(async (m) => {
      const repo = m.getRepository(StoreEntity);
      const row = await this.tx.forUpdate(repo.createQueryBuilder('s').where('s.id = :id', { id })).getOne();
      if (!row) throw new AppError('NOT_FOUND');
      const name = change.name ?? row.name;
      const wasClosed = row.closedAt !== null;
      const closed = change.closed ?? wasClosed;
      if (name === row.name && closed === wasClosed) return toDto(row);
      const next: Store = { ...row, name, closedAt: closed === wasClosed ? row.closedAt : closed ? this.clock().getTime() : null };
      await repo.update({ id }, { name: next.name, closedAt: next.closedAt });
      const action = closed !== wasClosed ? (closed ? 'store.close' : 'store.reopen') : 'store.rename';
      await this.audit.record(m, actor, { action, targetType: 'store', targetId: id, before: snapshot(row), after: snapshot(next) });
      return toDto(next);
    });
  }

  /** The till's check before a purchase: a closed store takes none (403 STORE_CLOSED). */
  async assertOpen(storeId: number): Promise<void> {
    const store = await this.tx.manager.getRepository(StoreEntity).findOne({ where: { id: storeId } });
    if (!store || store.closedAt !== null) throw new AppError('STORE_CLOSED');
  }
}

function toDto(s: Store): StoreDto {
  return { id: s.id, code: s.code, name: s.name, closed: s.closedAt !== null, closedAt: s.closedAt === null ? null : new Date(s.closedAt).toISOString() };
}
