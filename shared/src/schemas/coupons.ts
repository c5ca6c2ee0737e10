import { z } from 'zod';
import { orderNoSchema } from './till';

/** A coupon code as printed on the 卡券 page (10 characters of the pickup-code alphabet); case-insensitive on input. */
export const couponCodeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{6,16}$/, '6-16 letters or digits'));

/** available: usable now; used: redeemed at a till; lapsed: its 30 days ran out unused. */
export const couponStatusSchema = z.enum(['available', 'used', 'lapsed']);

export const couponSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  /** The expired points it came from. */
  points: z.number().int(),
  valueFen: z.number().int(),
  minSpendFen: z.number().int(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  status: couponStatusSchema,
  usedAt: z.string().nullable(),
});
export type CouponDto = z.infer<typeof couponSchema>;

/** GET /me/coupons: newest first (at most 100), with the shelf offer the 7-day reminder gave, if still running. */
export const couponsResponse = z.object({
  coupons: z.array(couponSchema),
  offer: z.object({ pct: z.number().int(), until: z.string() }).nullable(),
  charity: z.object({ enabled: z.boolean(), name: z.string() }),
});
export type CouponsResponse = z.infer<typeof couponsResponse>;

/** POST /till/coupons/redeem: the clerk applies a member's coupon to an order of their store. */
export const couponRedeemRequest = z.object({
  code: couponCodeSchema,
  orderNo: orderNoSchema,
  amountFen: z.number().int().min(1).max(100_000_000),
});
export type CouponRedeemRequest = z.infer<typeof couponRedeemRequest>;

export const couponRedeemResponse = z.object({
  coupon: couponSchema,
  orderNo: z.string(),
  amountFen: z.number().int(),
  discountFen: z.number().int(),
  /** What is left to pay: amountFen - discountFen. */
  payFen: z.number().int(),
});
export type CouponRedeemResponse = z.infer<typeof couponRedeemResponse>;

/** POST /me/donations: give points (the soonest-expiring first) to the brand's charity pool. */
export const donationRequest = z.object({ points: z.number().int().min(1).max(1_000_000) });
export const donationResponse = z.object({ donated: z.number().int(), balance: z.number().int(), pool: z.string() });
export type DonationResponse = z.infer<typeof donationResponse>;
