import type { EntityManager } from 'typeorm';
import { anchorPointsFor, belowCost, formatLocal, formatYuan, outsideAnchorBand, parseLocal, priceInForce, type PriceStep, type RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import { RewardEntity, type Reward } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Actor, AuditService } from './audit.service';

/**
 * Reward pricing (issue 10.1, 10.2): the anchor price and its band, the price schedule (dated steps stored as
 * JSON [{fromMs, pointsPrice}]) and the price in force, and the system's retirement of a reward whose price in
 * force is worth less than its cost at the anchor.
 */

/** The stored steps of a reward, ascending ([] without a schedule). */
export function scheduleOf(r: Pick<Reward, 'priceSchedule'>): PriceStep[] {
  if (!r.priceSchedule) return [];
  try {
    const xs = JSON.parse(r.priceSchedule) as PriceStep[];
    return Array.isArray(xs) ? xs : [];
  } catch {
    return [];
  }
}

/** Request steps (Shanghai wall-clock) to the stored JSON (null for none). */
export function storeSchedule(steps: { from: string; pointsPrice: number }[], timezone: string): string | null {
  if (steps.length === 0) return null;
  return JSON.stringify(steps.map((s) => ({ fromMs: parseLocal(s.from, timezone).getTime(), pointsPrice: s.pointsPrice })));
}

/** Stored steps as the API shows them. */
export function scheduleDto(r: Pick<Reward, 'priceSchedule'>, timezone: string): { from: string; pointsPrice: number }[] {
  return scheduleOf(r).map((s) => ({ from: formatLocal(new Date(s.fromMs), timezone, 'YYYY-MM-DDTHH:mm'), pointsPrice: s.pointsPrice }));
}

/** The price a member pays now. */
export function priceNow(r: Pick<Reward, 'priceSchedule' | 'pointsPrice'>, nowMs: number): number {
  return priceInForce(scheduleOf(r), r.pointsPrice, nowMs);
}

/** The default price: the face value at the anchor (at least 1 point). */
export function defaultPrice(faceValueFen: number, rules: RulesConfig): number {
  return Math.max(1, anchorPointsFor(faceValueFen, rules.anchor));
}

/** Every price the reward can take (base and steps) inside the band, or a reason: 409 PRICE_REASON_REQUIRED otherwise. */
export function checkBand(r: Pick<Reward, 'pointsPrice' | 'faceValueFen' | 'priceSchedule'>, reason: string | undefined, rules: RulesConfig): void {
  if (reason) return;
  const prices = [r.pointsPrice, ...scheduleOf(r).map((s) => s.pointsPrice)];
  const off = prices.filter((p) => outsideAnchorBand(p, r.faceValueFen, rules.anchor, rules.anchorBandPct));
  if (off.length > 0) {
    throw new AppError('PRICE_REASON_REQUIRED', { anchorPoints: anchorPointsFor(r.faceValueFen, rules.anchor), anchorBandPct: rules.anchorBandPct, prices: off });
  }
}

export const SYSTEM_ACTOR: Actor = { staffId: null, username: 'system:pricing', role: null, storeId: null, ip: '', requestId: '' };

/** Whether the reward's price in force at nowMs is worth less than its cost (a reward without a cost never is). */
export function losesAt(r: Reward, nowMs: number, rules: RulesConfig): boolean {
  return r.costFen > 0 && belowCost(priceNow(r, nowMs), r.costFen, rules.anchor);
}

/**
 * Retires (status retired, with an audit row 'reward.retired_below_cost') each reward on sale whose price in
 * force is worth less than its cost at the anchor; answers the ids retired. The update is conditional on
 * status on_sale, so the shelf read and the economics job racing on one reward write one audit row between them.
 */
export async function retireBelowCost(m: EntityManager, audit: AuditService, rewards: Reward[], nowMs: number, rules: RulesConfig): Promise<Set<number>> {
  const out = new Set<number>();
  for (const r of rewards) {
    if (!losesAt(r, nowMs, rules)) continue;
    const price = priceNow(r, nowMs);
    const res = await m.getRepository(RewardEntity).update({ id: r.id, status: 'on_sale' }, { status: 'retired', active: false, updatedAt: nowMs });
    if (!res.affected) continue;
    out.add(r.id);
    await audit.record(m, SYSTEM_ACTOR, {
      action: 'reward.retired_below_cost',
      targetType: 'reward',
      targetId: r.id,
      before: { status: r.status, pointsPriceInForce: price, costFen: r.costFen },
      after: { status: 'retired', reason: `价格 ${price} 分低于成本 ¥${formatYuan(r.costFen)},系统自动下架` },
    });
  }
  return out;
}

/** How many rewards on sale one job pass looks at (the catalogue is small; the next pass takes any rest). */
export const RETIRE_SCAN_MAX = 1000;

/**
 * The economics job's pass (issue 10.2): on the day a step applies, whatever reward on sale it makes worth less
 * than its cost is retired, whether or not a member opens the shelf. Idempotent: a second pass finds none.
 */
export async function retireDueBelowCost(tx: TxRunner, audit: AuditService, rules: RulesConfig, nowMs: number): Promise<number> {
  const onSale = await tx.manager
    .getRepository(RewardEntity)
    .createQueryBuilder('r')
    .where("r.status = 'on_sale' AND r.cost_fen > 0")
    .orderBy('r.id', 'ASC')
    .take(RETIRE_SCAN_MAX)
    .getMany();
  const losing = onSale.filter((r) => losesAt(r, nowMs, rules));
  if (losing.length === 0) return 0;
  return (await tx.run((m) => retireBelowCost(m, audit, losing, nowMs, rules))).size;
}
