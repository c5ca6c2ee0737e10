import { z } from 'zod';
import { cleanText } from './clean-text';
import { AMOUNT_FEN_MAX, POINTS_MAX } from './common';
import { localDateTimeSchema } from './campaigns';
import { uploadUrlSchema } from './uploads';

/**
 * The rewards catalogue in the back office (issue 9 item 1). Money is integer fen: faceValueFen is what a
 * reward is worth to the member (the shelf says 价值 ¥X), costFen what it costs the brand. Times are
 * Shanghai wall-clock 'YYYY-MM-DDTHH:mm' as in campaigns. Stock is set once at creation; afterwards it
 * moves only through POST /admin/rewards/{id}/stock (each movement a row) and redemptions.
 */
export const REWARD_STATUSES = ['draft', 'on_sale', 'paused', 'retired'] as const;
export const rewardStatusSchema = z.enum(REWARD_STATUSES);
export type RewardStatus = z.infer<typeof rewardStatusSchema>;
export const REWARD_STATUS_NAMES: Record<RewardStatus, string> = { draft: '草稿', on_sale: '在售', paused: '暂停', retired: '已下架' };

export const REWARD_TITLE_MAX = 100;
export const REWARD_DESCRIPTION_MAX = 1000;
export const REWARD_CATEGORY_MAX = 20;
export const REWARD_IMAGES_MAX = 6;
export const REWARD_STOCK_MAX = 1_000_000;
export const REWARD_PER_MEMBER_LIMIT_MAX = 1000;
export const STOCK_REASON_MAX = 100;
export const REWARD_LIST_MAX = 200;
export const PRICE_REASON_MAX = 200;
export const PRICE_SCHEDULE_MAX = 12;
/** Stock at or under this shows as low (dashboard card, list filter). */
export const REWARD_LOW_STOCK_AT = 10;
/** A sale ending within this many days shows as ending soon (dashboard card, list filter). */
export const REWARD_ENDING_SOON_DAYS = 7;

const fields = {
  title: cleanText({ max: REWARD_TITLE_MAX }),
  description: cleanText({ min: 0, max: REWARD_DESCRIPTION_MAX, multiline: true }),
  category: cleanText({ min: 0, max: REWARD_CATEGORY_MAX }),
  images: z.array(uploadUrlSchema).max(REWARD_IMAGES_MAX).refine((xs) => new Set(xs).size === xs.length, 'duplicate image'),
  faceValueFen: z.number().int().min(0).max(AMOUNT_FEN_MAX),
  costFen: z.number().int().min(0).max(AMOUNT_FEN_MAX),
  pointsPrice: z.number().int().min(1).max(POINTS_MAX),
  minTier: z.string().regex(/^[a-z]{1,16}$/).nullable(),
  perMemberLimit: z.number().int().min(1).max(REWARD_PER_MEMBER_LIMIT_MAX).nullable(),
  activeFrom: localDateTimeSchema.nullable(),
  activeTo: localDateTimeSchema.nullable(),
  status: rewardStatusSchema,
  /** Why a price outside the anchor band (anchorBandPct) is right; required then (409 PRICE_REASON_REQUIRED). */
  priceReason: cleanText({ max: PRICE_REASON_MAX }),
  /** Dated price steps (skimming, issue 10.2), ascending by date; [] clears the schedule. */
  priceSchedule: z
    .array(z.strictObject({ from: localDateTimeSchema, pointsPrice: z.number().int().min(1).max(POINTS_MAX) }))
    .max(PRICE_SCHEDULE_MAX)
    .refine((xs) => xs.every((x, i) => i === 0 || x.from > xs[i - 1]!.from), 'steps must be in ascending date order'),
};

function toAfterFrom(v: { activeFrom?: string | null; activeTo?: string | null }, ctx: z.RefinementCtx): void {
  if (v.activeFrom && v.activeTo && v.activeTo <= v.activeFrom) ctx.addIssue({ code: 'custom', path: ['activeTo'], message: 'activeTo must be after activeFrom' });
}

/** The minimal body: title, faceValueFen, costFen, stock (and status on_sale to shelve it at once); pointsPrice defaults to the anchor price of faceValueFen. */
export const rewardCreateRequest = z
  .strictObject({
    ...fields,
    description: fields.description.default(''),
    category: fields.category.default(''),
    images: fields.images.default([]),
    minTier: fields.minTier.default(null),
    perMemberLimit: fields.perMemberLimit.default(null),
    activeFrom: fields.activeFrom.default(null),
    activeTo: fields.activeTo.default(null),
    status: fields.status.default('draft'),
    pointsPrice: fields.pointsPrice.optional(),
    priceReason: fields.priceReason.optional(),
    priceSchedule: fields.priceSchedule.optional(),
    stock: z.number().int().min(0).max(REWARD_STOCK_MAX),
  })
  .superRefine(toAfterFrom);
export type RewardCreateRequest = z.infer<typeof rewardCreateRequest>;

/** Any field but stock (stock moves by POST .../stock); at least one. */
export const rewardPatchRequest = z
  .strictObject(fields)
  .partial()
  .superRefine((v, ctx) => {
    if (Object.keys(v).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'at least one field to change' });
    toAfterFrom(v, ctx);
  });
export type RewardPatchRequest = z.infer<typeof rewardPatchRequest>;

export const stockMoveRequest = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-REWARD_STOCK_MAX)
    .max(REWARD_STOCK_MAX)
    .refine((n) => n !== 0, 'delta must not be 0'),
  reason: cleanText({ max: STOCK_REASON_MAX }),
});
export type StockMoveRequest = z.infer<typeof stockMoveRequest>;

export const rewardListQuery = z.strictObject({
  status: rewardStatusSchema.optional(),
  category: z.string().max(REWARD_CATEGORY_MAX * 4).optional(),
  q: z.string().max(REWARD_TITLE_MAX).optional(),
  lowStock: z.enum(['1']).optional(),
  ending: z.enum(['1']).optional(),
});
export type RewardListQuery = z.infer<typeof rewardListQuery>;

export const rewardAdminSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  images: z.array(z.string()),
  /** The first image (the shelf's picture), or '' without images. */
  imageUrl: z.string(),
  faceValueFen: z.number().int(),
  costFen: z.number().int(),
  pointsPrice: z.number().int(),
  stock: z.number().int(),
  minTier: z.string().nullable(),
  perMemberLimit: z.number().int().nullable(),
  /** Shanghai wall-clock 'YYYY-MM-DDTHH:mm' (the request format), or null for open-ended. */
  activeFrom: z.string().nullable(),
  activeTo: z.string().nullable(),
  status: rewardStatusSchema,
  /** Dated price steps, Shanghai wall-clock, ascending. */
  priceSchedule: z.array(z.object({ from: z.string(), pointsPrice: z.number().int() })),
  /** The price in force now (pointsPrice until the first step). */
  pointsPriceInForce: z.number().int(),
  /** Units redeemed and not cancelled: a reward with any is never deleted, only retired. */
  redeemedCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RewardAdminDto = z.infer<typeof rewardAdminSchema>;

export const priceHistoryEntrySchema = z.object({
  pointsPrice: z.number().int(),
  faceValueFen: z.number().int(),
  costFen: z.number().int(),
  /** Why the price is outside the anchor band ('' when inside or not given). */
  reason: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
});
export const stockMovementSchema = z.object({
  id: z.number().int(),
  delta: z.number().int(),
  stockAfter: z.number().int(),
  /** 'initial', 'adjust' (staff), 'redeem', 'redeem_cancel'. */
  kind: z.string(),
  reason: z.string(),
  actor: z.string(),
  createdAt: z.string(),
});
export type StockMovementDto = z.infer<typeof stockMovementSchema>;

export const rewardAdminListResponse = z.object({ rewards: z.array(rewardAdminSchema), categories: z.array(z.string()), truncated: z.boolean() });
export const rewardAdminResponse = z.object({ reward: rewardAdminSchema });
export const rewardDetailResponse = z.object({
  reward: rewardAdminSchema,
  priceHistory: z.array(priceHistoryEntrySchema),
  stockMovements: z.array(stockMovementSchema),
});
export const stockMoveResponse = z.object({ reward: rewardAdminSchema, movement: stockMovementSchema });
