import type { EntityManager } from 'typeorm';
import { RewardEntity, RewardStockMovementEntity, type StockMovementKind } from '../db/entities';
import type { WriteBatch } from '../db/write-batch';

export interface StockMove {
  rewardId: number;
  delta: number;
  kind: StockMovementKind;
  reason: string;
  actor: string;
  atMs: number;
}

/**
 * Moves a reward's stock by `delta` and writes the movement row, inside the caller's transaction. The
 * update is conditional (stock + delta >= 0), atomic on both databases, so no interleaving of redemptions
 * and staff edits takes stock below zero. Answers the movement, or null when it would go below zero
 * (nothing written).
 */
export async function moveStock(m: EntityManager, mv: StockMove): Promise<{ id: number; stockAfter: number } | null> {
  const res = await m
    .getRepository(RewardEntity)
    .createQueryBuilder()
    .update()
    .set({ stock: () => `stock + (${Math.trunc(mv.delta)})` })
    .where('id = :id AND stock + :delta >= 0', { id: mv.rewardId, delta: mv.delta })
    .execute();
  if (res.affected !== 1) return null;
  // The row is locked by the update until commit, so this reads the stock this movement left.
  const row = await m.getRepository(RewardEntity).createQueryBuilder('r').select(['r.id', 'r.stock']).where('r.id = :id', { id: mv.rewardId }).getOneOrFail();
  const ins = await m.getRepository(RewardStockMovementEntity).insert({
    rewardId: mv.rewardId,
    delta: mv.delta,
    stockAfter: row.stock,
    kind: mv.kind,
    reason: mv.reason.slice(0, 255),
    actor: mv.actor.slice(0, 64),
    createdAt: mv.atMs,
  });
  return { id: Number(ins.identifiers[0]!.id), stockAfter: row.stock };
}

/**
 * moveStock(), queued in the caller's write batch: the same conditional update, and the movement row reading the
 * stock that update left (the row is locked by it). When the stock would go below zero, `refused` is thrown as the
 * batch runs, which rolls the transaction back (the movement row with it).
 */
export function moveStockInto(batch: WriteBatch, mv: StockMove, refused: () => Error): void {
  const delta = Math.trunc(mv.delta);
  batch.exec('UPDATE reward SET stock = stock + ? WHERE id = ? AND stock + ? >= 0', [delta, mv.rewardId, delta], (affected) => {
    if (affected !== 1) throw refused();
  });
  batch.exec('INSERT INTO reward_stock_movement (reward_id, delta, stock_after, kind, reason, actor, created_at) SELECT id, ?, stock, ?, ?, ?, ? FROM reward WHERE id = ?', [
    delta,
    mv.kind,
    mv.reason.slice(0, 255),
    mv.actor.slice(0, 64),
    mv.atMs,
    mv.rewardId,
  ]);
}
