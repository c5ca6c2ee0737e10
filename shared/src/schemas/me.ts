import { z } from 'zod';
import { breakdownLineSchema, pageQuerySchema } from './common';
import { LEDGER_KINDS } from '../rules/ledger-kind';

export const LEDGER_CODES = [
  'EARN_PURCHASE',
  'EARN_CHECKIN',
  'EARN_TASK',
  'EARN_CAMPAIGN_BONUS',
  'REDEEM',
  'REFUND_REVERSAL',
  'REDEEM_CANCEL',
  'EXPIRE',
  'ADJUST',
  'COMPENSATION',
  'DONATE',
] as const;
export const ledgerCodeSchema = z.enum(LEDGER_CODES);
export type LedgerCode = z.infer<typeof ledgerCodeSchema>;

export const meResponse = z.object({
  member: z.object({ id: z.number().int(), nickname: z.string(), birthday: z.string().nullable(), phone: z.string().nullable() }),
  // phone: the bound phone, masked (138****8000); null until bound (POST /me/phone).
  balance: z.number().int(),
  available: z.number().int(),
  pending: z.number().int(),
  worthFen: z.number().int(),
  tier: z.object({
    code: z.string(),
    name: z.string(),
    next: z.object({ code: z.string(), name: z.string() }).nullable(),
    qualifyingPoints: z.number().int(),
    pointsToNext: z.number().int().nullable(),
    progressPct: z.number().int(),
    // 保级 (issue 11.4): the stored tier's date, its anniversary (null for the base tier), the tier year's
    // qualifying points, and inside the warn window with points still needed, the line "再得 N 分保级…".
    since: z.string(),
    reviewAt: z.string().nullable(),
    yearPoints: z.number().int(),
    atRisk: z.object({ pointsNeeded: z.number().int(), daysLeft: z.number().int(), text: z.string() }).nullable(),
  }),
  checkin: z.object({ streak: z.number().int(), checkedInToday: z.boolean() }),
  expiring: z.array(z.object({ points: z.number().int(), expiresAt: z.string(), daysLeft: z.number().int() })),
  pendingLots: z.array(z.object({ points: z.number().int(), activatesAt: z.string() })),
});
export type MeResponse = z.infer<typeof meResponse>;

export const ledgerEntrySchema = z.object({
  id: z.number().int(),
  code: ledgerCodeSchema,
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  reason: z.string(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  breakdown: z.array(breakdownLineSchema).nullable(),
  createdAt: z.string(),
  /** The rules version the entry was computed under (GET /me/value-changes lists the changes). */
  rulesVersion: z.number().int().nullable(),
});
export type LedgerEntryDto = z.infer<typeof ledgerEntrySchema>;
/** GET /me/ledger: a page by id cursor, optionally one kind (全部 / 获得 / 使用 / 过期; default all). */
export const ledgerQuerySchema = pageQuerySchema.extend({ kind: z.enum(LEDGER_KINDS).optional() });
export const ledgerPageResponse = z.object({ entries: z.array(ledgerEntrySchema), nextCursor: z.number().int().nullable() });
export type LedgerPageResponse = z.infer<typeof ledgerPageResponse>;

export const checkinResponse = z.object({
  points: z.number().int(),
  streak: z.number().int(),
  bonus: z.number().int(),
  breakdown: z.array(breakdownLineSchema),
  balance: z.number().int(),
});
export type CheckinResponse = z.infer<typeof checkinResponse>;

export const memberCodeResponse = z.object({ code: z.string(), expiresAt: z.string(), refreshSeconds: z.number().int() });
export type MemberCodeResponse = z.infer<typeof memberCodeResponse>;

/** A real calendar date (1990-02-31 is refused): it must survive a round trip through Date. */
export const birthdaySchema = z
  .string()
  .regex(/^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a calendar date');
export const birthdayRequest = z.strictObject({ birthday: birthdaySchema });
