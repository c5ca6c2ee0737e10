import { z } from 'zod';
import { PAGE_LIMIT_MAX } from './common';

/**
 * The audit trail (issue 9 item 7): read-only over the API. Filters combine (AND); pages are newest first
 * and continue with `cursor` = the previous page's nextCursor.
 * - actor: a username (failed logins are filed under the username that was tried);
 * - target: 'type' or 'type:id', e.g. 'staff', 'staff:12', 'store:3';
 * - from / to: a local day 'YYYY-MM-DD' in the configured time zone (from its start; to its end, inclusive)
 *   or an ISO instant.
 */
export const AUDIT_PAGE_DEFAULT = 50;

/** Actions written by the staff and store back office; other capabilities add their own names. */
export const AUDIT_ACTIONS = {
  'staff.login_failed': '登录失败',
  'staff.create': '新建员工',
  'staff.disable': '停用员工',
  'staff.enable': '启用员工',
  'staff.role': '变更角色',
  'staff.store': '变更门店',
  'staff.rename': '修改姓名',
  'staff.password_reset': '重置密码',
  'store.create': '新建门店',
  'store.rename': '门店改名',
  'store.close': '关闭门店',
  'store.reopen': '重新营业',
} as const satisfies Record<string, string>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** A real calendar day (2026-02-30 is refused), or an ISO instant with a date part. */
function isDayOrInstant(s: string): boolean {
  if (/^20[0-9]{2}-[01][0-9]-[0-3][0-9]$/.test(s)) {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  }
  return /^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?(Z|[+-][0-2][0-9]:[0-5][0-9])$/.test(s) && !Number.isNaN(Date.parse(s));
}
const dayOrInstant = z.string().max(40).refine(isDayOrInstant, "a day 'YYYY-MM-DD' or an ISO instant with its offset");

export const auditQuery = z.strictObject({
  actor: z.string().min(1).max(64).optional(),
  target: z
    .string()
    .regex(/^[a-z_]{1,32}(:[A-Za-z0-9_.:-]{1,64})?$/, "'type' or 'type:id'")
    .optional(),
  action: z.string().regex(/^[a-z_]{1,32}\.[a-z_]{1,31}$/).optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  cursor: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).optional(),
  limit: z.string().regex(/^[0-9]{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX)).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ id: z.number().int().nullable(), username: z.string(), role: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string(),
  requestId: z.string(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditListResponse = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
