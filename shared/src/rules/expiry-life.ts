import type { RulesConfig } from '../config';
import { addDays, formatLocal, localYear, startOfLocalDay } from './time';
import { lotExpiresAt } from './expiry';

/**
 * Expiry that gives back (issue 11.3): tiered validity, the coupon that expired points become, and the
 * wording of the per-member, per-date reminder. Pure: the caller passes `now` and the member's activity.
 */

type ValidityRules = Pick<RulesConfig, 'expiry' | 'timezone' | 'validity'>;

/** Whether a member counts as active: a purchase within the last `activeMonths` (30-day months, so a plain window). */
export function isActiveMember(lastPurchaseAt: number | null, nowMs: number, rules: Pick<RulesConfig, 'validity'>): boolean {
  return lastPurchaseAt !== null && nowMs - lastPurchaseAt <= rules.validity.activeMonths * 30 * 86_400_000;
}

/**
 * When a lot earned at `earnedAt` expires for an active or inactive member. Without the validity policy it is
 * the plain policy (lotExpiresAt). yearly: the start of the year `years + 1` after the year earned (1 year =
 * the classic clear-down at the end of the following year); rolling: earnedAt + years × 365 days.
 */
export function lotExpiresAtFor(earnedAt: Date, active: boolean, rules: ValidityRules): Date {
  if (!rules.validity.enabled) return lotExpiresAt(earnedAt, rules);
  const years = active ? rules.validity.activeYears : rules.validity.inactiveYears;
  if (rules.expiry.policy === 'rolling') return addDays(earnedAt, years * 365);
  const year = localYear(earnedAt, rules.timezone);
  return startOfLocalDay(`${year + years + 1}-01-01`, rules.timezone);
}

export interface CouponPlan {
  /** Whole units of pointsPerCoupon; 0 = no coupon. */
  units: number;
  valueFen: number;
  minSpendFen: number;
  costFen: number;
}

/** What `expiredPoints` (expired together, one member, one date) give back: one coupon of units × value. */
export function couponFor(expiredPoints: number, rules: Pick<RulesConfig, 'expiryCoupon'>): CouponPlan {
  const c = rules.expiryCoupon;
  const units = c.enabled && expiredPoints > 0 ? Math.floor(expiredPoints / c.pointsPerCoupon) : 0;
  return { units, valueFen: units * c.valueFen, minSpendFen: units * c.minSpendFen, costFen: units * c.costFen };
}

/** Whether a coupon applies to an order of `amountFen` (at least its minimum spend; never above the order). */
export function couponApplies(coupon: { valueFen: number; minSpendFen: number }, amountFen: number): boolean {
  return amountFen >= coupon.minSpendFen && amountFen >= coupon.valueFen;
}

/** The reminder's text: "320 分将于 12月31日 过期" (the last usable local day, the figure of the moment). */
export function expiryReminderText(points: number, expiresAtMs: number, tz: string): string {
  return `${points} 分将于 ${formatLocal(new Date(expiresAtMs - 1), tz, 'M月D日')} 过期`;
}

/** The shelf price with the expiring-points offer applied (floor of the discount, so never below 1 point). */
export function offerPrice(pointsPrice: number, offerPct: number): number {
  if (offerPct <= 0) return pointsPrice;
  return Math.max(1, pointsPrice - Math.floor((pointsPrice * offerPct) / 100));
}
