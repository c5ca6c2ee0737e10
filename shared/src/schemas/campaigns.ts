import { z } from 'zod';
import { cleanText } from './clean-text';

/**
 * Campaign API contract (marketing's timed multiplier campaigns and the member's banner).
 * Requests carry the multiplier as a decimal (1.5) and times as Shanghai wall-clock strings
 * ('YYYY-MM-DDTHH:mm', the value of an <input type="datetime-local">); the server stores an integer
 * percent and UTC epoch ms. Tier codes and store ids are checked against config and the store table by
 * the server (a schema cannot know them); an unknown one is 400 VALIDATION_FAILED naming the field.
 */

export const CAMPAIGN_CHANNELS = ['purchase', 'checkin'] as const;
export const CAMPAIGN_NAME_MAX = 50;
export const CAMPAIGN_MULTIPLIER_PCT_MIN = 110;
export const CAMPAIGN_MULTIPLIER_PCT_MAX = 1000;
export const CAMPAIGN_BUDGET_MAX = 1_000_000_000;
export const CAMPAIGN_TIERS_MAX = 20;
export const CAMPAIGN_STORES_MAX = 200;
export const CAMPAIGN_LIST_MAX = 100;

const MULTIPLIER_TEXT = /^([0-9]{1,2})(?:\.([0-9]{1,2}))?$/;

/**
 * 1.5 -> 150, 2 -> 200, 1.15 -> 115, by the decimal text of the number (never multiplying a float):
 * null when it has more than two decimals or is not a plain decimal.
 */
export function multiplierToPct(multiplier: number): number | null {
  if (!Number.isFinite(multiplier)) return null;
  const m = MULTIPLIER_TEXT.exec(String(multiplier));
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(frac);
}

/** 150 -> 1.5, 115 -> 1.15 (integer arithmetic, then one decimal parse). */
export function pctToMultiplier(pct: number): number {
  const whole = Math.floor(pct / 100);
  const frac = pct % 100;
  return Number(`${whole}.${frac < 10 ? '0' : ''}${frac}`);
}

export const campaignChannelSchema = z.enum(CAMPAIGN_CHANNELS);
export type CampaignChannel = z.infer<typeof campaignChannelSchema>;

export const campaignMultiplierSchema = z
  .number()
  .refine((n) => {
    const pct = multiplierToPct(n);
    return pct !== null && pct >= CAMPAIGN_MULTIPLIER_PCT_MIN && pct <= CAMPAIGN_MULTIPLIER_PCT_MAX;
  }, 'a number from 1.1 to 10 with at most two decimals');

/** A real calendar minute 'YYYY-MM-DDTHH:mm' (2026-02-30T10:00 and 24:00 are refused). */
export const localDateTimeSchema = z
  .string()
  .regex(/^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]$/, "local time as 'YYYY-MM-DDTHH:mm'")
  .refine((s) => {
    const [y, mo, d, h, mi] = s.split(/[-T:]/).map(Number) as [number, number, number, number, number];
    const at = new Date(Date.UTC(y, mo - 1, d, h, mi));
    return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && at.getUTCHours() === h;
  }, 'not a real date and time');

function unique<T>(xs: T[]): boolean {
  return new Set(xs).size === xs.length;
}

const fields = {
  name: cleanText({ max: CAMPAIGN_NAME_MAX }), // shown to members: no control or bidi-override characters
  multiplier: campaignMultiplierSchema,
  startsAt: localDateTimeSchema,
  endsAt: localDateTimeSchema,
  tiers: z
    .array(z.string().regex(/^[a-z]{1,20}$/))
    .max(CAMPAIGN_TIERS_MAX)
    .refine(unique, 'duplicate tier'),
  storeIds: z
    .array(z.number().int().min(1).max(2_147_483_647))
    .max(CAMPAIGN_STORES_MAX)
    .refine(unique, 'duplicate store'),
  channels: z.array(campaignChannelSchema).min(1).max(CAMPAIGN_CHANNELS.length).refine(unique, 'duplicate channel'),
  stacksWithTier: z.boolean(),
  budgetPoints: z.number().int().min(1).max(CAMPAIGN_BUDGET_MAX),
};

/** Fixed-width local strings of one zone without DST compare as text (Asia/Shanghai has none since 1991). */
function endAfterStart(v: { startsAt?: string; endsAt?: string }, ctx: z.RefinementCtx): void {
  if (v.startsAt !== undefined && v.endsAt !== undefined && v.endsAt <= v.startsAt) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
  }
}

export const campaignCreateRequest = z.strictObject(fields).superRefine(endAfterStart);
export type CampaignCreateRequest = z.infer<typeof campaignCreateRequest>;

export const campaignPatchRequest = z
  .strictObject(fields)
  .partial()
  .superRefine((v, ctx) => {
    if (Object.keys(v).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'at least one field to change' });
    endAfterStart(v, ctx);
  });
export type CampaignPatchRequest = z.infer<typeof campaignPatchRequest>;

export const campaignStatusSchema = z.enum(['scheduled', 'running', 'ended']);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

export const campaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  multiplier: z.number(),
  multiplierPct: z.number().int(),
  /** ISO 8601 UTC instants (start inclusive, end exclusive). */
  startsAt: z.string(),
  endsAt: z.string(),
  /** The same instants as Shanghai wall-clock 'YYYY-MM-DDTHH:mm' (the request format, for display and edit forms). */
  startsAtLocal: z.string(),
  endsAtLocal: z.string(),
  tiers: z.array(z.string()),
  storeIds: z.array(z.number().int()),
  channels: z.array(campaignChannelSchema),
  stacksWithTier: z.boolean(),
  budgetPoints: z.number().int(),
  issuedPoints: z.number().int(),
  budgetLeft: z.number().int(),
  status: campaignStatusSchema,
  endedAt: z.string().nullable(),
  endedAtLocal: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignDto = z.infer<typeof campaignSchema>;

export const campaignListResponse = z.object({ campaigns: z.array(campaignSchema), nextCursor: z.number().int().nullable() });
export type CampaignListResponse = z.infer<typeof campaignListResponse>;

export const campaignHistoryActionSchema = z.enum(['CREATE', 'UPDATE', 'END']);
export const campaignHistoryEntrySchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  action: campaignHistoryActionSchema,
  /** The campaign as it stood right after this change. */
  snapshot: campaignSchema.omit({ status: true, budgetLeft: true }),
  actor: z.string(),
  createdAt: z.string(),
});
export type CampaignHistoryEntryDto = z.infer<typeof campaignHistoryEntrySchema>;
export const campaignHistoryResponse = z.object({ history: z.array(campaignHistoryEntrySchema) });
export type CampaignHistoryResponse = z.infer<typeof campaignHistoryResponse>;

/** What the member's banner shows: the running campaigns that apply to their tier now, with budget left. */
export const activeCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  multiplier: z.number(),
  multiplierPct: z.number().int(),
  endsAt: z.string(),
  endsAtLocal: z.string(),
  channels: z.array(campaignChannelSchema),
  stacksWithTier: z.boolean(),
  /** Empty with allStores true: every store. */
  allStores: z.boolean(),
  stores: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type ActiveCampaignDto = z.infer<typeof activeCampaignSchema>;
export const activeCampaignsResponse = z.object({ campaigns: z.array(activeCampaignSchema) });
export type ActiveCampaignsResponse = z.infer<typeof activeCampaignsResponse>;
