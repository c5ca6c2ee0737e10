import type { RulesConfig } from '../config';
import { pointsToFen } from './worth';

/**
 * Skimming prices (撇脂定价, issue 10.2): a reward may carry dated price steps. The price in force is the
 * latest step whose start has come, else the reward's base price. Steps are stored with their instant
 * (fromMs, epoch milliseconds) in ascending order.
 */
export interface PriceStep {
  fromMs: number;
  pointsPrice: number;
}

/** The price in force at nowMs: the last step with fromMs <= nowMs, else basePrice. */
export function priceInForce(schedule: readonly PriceStep[], basePrice: number, nowMs: number): number {
  let price = basePrice;
  for (const s of schedule) if (s.fromMs <= nowMs) price = s.pointsPrice;
  return price;
}

/** Whether steps are strictly ascending by date. */
export function scheduleAscending(schedule: readonly { fromMs: number }[]): boolean {
  return schedule.every((s, i) => i === 0 || s.fromMs > schedule[i - 1]!.fromMs);
}

/** The price in force, worth in fen at the anchor, is below the reward's cost: the system retires it. */
export function belowCost(pointsPrice: number, costFen: number, anchor: RulesConfig['anchor']): boolean {
  return pointsToFen(pointsPrice, anchor) < costFen;
}

/** A reward whose price and economics have not changed for this many days is due for a refresh (赠品迭代). */
export const REWARD_REFRESH_DAYS = 183;
