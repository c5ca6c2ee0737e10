import { z } from 'zod';
import { PAGE_LIMIT_MAX } from './common';
import { ledgerEntrySchema } from './me';
import { notificationSchema } from './notifications';
import { redemptionSchema } from './rewards';
import { adjustmentSchema } from './adjustments';
import { STAFF_ROLES } from '../api/roles';

/** Member look-up and the member page for service, marketing and admin (issue 9 item 3). */
export const MEMBER_SEARCH_LIMIT_MAX = 50;
export const MEMBER_SEARCH_LIMIT_DEFAULT = 20;
export const MEMBER_QUERY_MAX = 64;

const cursor = z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number);
const limit = (max: number) => z.string().regex(/^[0-9]{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(max));

/** GET /admin/members?q&cursor&limit: q is a phone, a member number, an openid or the start of a nickname. */
export const memberSearchQuery = z.object({
  q: z.string().trim().max(MEMBER_QUERY_MAX).optional(),
  cursor: cursor.optional(),
  limit: limit(MEMBER_SEARCH_LIMIT_MAX).optional(),
});

/** How a search result matched (exact phone, member number, openid; or nickname prefix; or newest when q is empty). */
export const memberMatchSchema = z.enum(['phone', 'id', 'openid', 'nickname', 'recent']);

export const memberSummarySchema = z.object({
  id: z.number().int(),
  /** The member number as printed on 我的 (zero-padded id). */
  number: z.string(),
  nickname: z.string(),
  /** Masked (138****8000) unless the caller is admin; null when no phone is bound. */
  phone: z.string().nullable(),
  /** Masked unless the caller is admin. */
  openid: z.string(),
  balance: z.number().int(),
  createdAt: z.string(),
  match: memberMatchSchema,
});
export type MemberSummaryDto = z.infer<typeof memberSummarySchema>;

export const memberSearchResponse = z.object({
  members: z.array(memberSummarySchema),
  /** Pass back as cursor for the next page; null on the last page. */
  nextCursor: z.number().int().nullable(),
});
export type MemberSearchResponse = z.infer<typeof memberSearchResponse>;

/** A ledger entry as staff see it: who booked it (actor) besides what the member sees. */
export const adminLedgerEntrySchema = ledgerEntrySchema.extend({ actor: z.string() });
export type AdminLedgerEntryDto = z.infer<typeof adminLedgerEntrySchema>;
export const adminLedgerPageResponse = z.object({ entries: z.array(adminLedgerEntrySchema), nextCursor: z.number().int().nullable() });
export type AdminLedgerPageResponse = z.infer<typeof adminLedgerPageResponse>;
export const adminLedgerQuery = z.object({ cursor: cursor.optional(), limit: limit(PAGE_LIMIT_MAX).optional() });

export const lotStateSchema = z.enum(['active', 'pending', 'expired']);
export const memberLotSchema = z.object({
  id: z.number().int(),
  amount: z.number().int(),
  remaining: z.number().int(),
  earnedAt: z.string(),
  activatesAt: z.string(),
  expiresAt: z.string(),
  state: lotStateSchema,
  refType: z.string().nullable(),
});
export type MemberLotDto = z.infer<typeof memberLotSchema>;

export const memberDetailResponse = z.object({
  member: memberSummarySchema.omit({ match: true }).extend({ birthday: z.string().nullable(), phoneBoundAt: z.string().nullable() }),
  account: z.object({ balance: z.number().int(), available: z.number().int(), pending: z.number().int(), debt: z.number().int(), worthFen: z.number().int() }),
  tier: z.object({
    code: z.string(),
    name: z.string(),
    qualifyingPoints: z.number().int(),
    next: z.object({ code: z.string(), name: z.string() }).nullable(),
    pointsToNext: z.number().int().nullable(),
    // 保级 (issue 11.4): the stored tier (code/name above) since `since`, its anniversary (null for the base tier),
    // the tier year's qualifying points against the points that keep it (null for the base tier); `recorded`
    // false for a member from before stored tiers whose row the tier job has not written yet.
    since: z.string(),
    reviewAt: z.string().nullable(),
    yearPoints: z.number().int(),
    keepPoints: z.number().int().nullable(),
    recorded: z.boolean(),
  }),
  /** Lots with points left, soonest expiry first (at most LOTS_SHOWN_MAX). */
  lots: z.array(memberLotSchema),
  /** The newest ledger page; more via GET /admin/members/:id/ledger?cursor. */
  ledger: adminLedgerPageResponse,
  redemptions: z.array(redemptionSchema),
  notices: z.array(notificationSchema),
  /** This member's adjustments (requests and applied), newest first. */
  adjustments: z.array(adjustmentSchema),
  /** What the caller may do here (from the role matrix), so the page shows only working buttons. */
  viewer: z.object({ role: z.enum(STAFF_ROLES), canAdjust: z.boolean(), canAllowDebt: z.boolean() }),
});
export type MemberDetailResponse = z.infer<typeof memberDetailResponse>;
export const LOTS_SHOWN_MAX = 100;
export const MEMBER_PAGE_LIST_MAX = 20;
