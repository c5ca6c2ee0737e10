import { z } from 'zod';
import { idSchema } from './common';

export const rewardSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  /** The first image (a generated tile when the reward has none). */
  imageUrl: z.string(),
  images: z.array(z.string()),
  /** What the reward is worth to the member, in fen (the shelf shows 价值 ¥X). */
  faceValueFen: z.number().int(),
  /** The price in force now (the price schedule's step for now, issue 10.2). */
  pointsPrice: z.number().int(),
  /** When the price in force has dropped below the launch price: that price (the card shows 原价 N 分, struck). */
  originalPointsPrice: z.number().int().optional(),
  stock: z.number().int(),
  minTier: z.string().nullable(),
  perMemberLimit: z.number().int().nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  eligibility: z.object({
    canRedeem: z.boolean(),
    reason: z.enum(['OK', 'INSUFFICIENT_POINTS', 'OUT_OF_STOCK', 'TIER_TOO_LOW', 'LIMIT_REACHED']),
    redeemedByMe: z.number().int(),
  }),
});
export type RewardDto = z.infer<typeof rewardSchema>;
export const rewardListResponse = z.object({ rewards: z.array(rewardSchema) });

export const redeemRequest = z.strictObject({
  rewardId: idSchema,
  quantity: z.number().int().min(1).max(10).default(1),
});
export type RedeemRequest = z.input<typeof redeemRequest>;

export const redemptionStatusSchema = z.enum(['AWAITING_PICKUP', 'FULFILLED', 'CANCELLED']);
export const redemptionSchema = z.object({
  id: z.number().int(),
  rewardId: z.number().int(),
  rewardTitle: z.string(),
  quantity: z.number().int(),
  points: z.number().int(),
  pickupCode: z.string(),
  status: redemptionStatusSchema,
  createdAt: z.string(),
  fulfilledAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});
export type RedemptionDto = z.infer<typeof redemptionSchema>;
export const redemptionResponse = z.object({ redemption: redemptionSchema, balance: z.number().int() });
export const redemptionListResponse = z.object({ redemptions: z.array(redemptionSchema) });
