import { z } from 'zod';
import { STAFF_ROLES } from '../api/roles';
import { cleanText } from './clean-text';
import { idSchema } from './common';

/**
 * Staff accounts in the back office (issue 9 item 6). Passwords are never chosen or seen by the admin
 * except once: create and reset answer a generated password, of which only a hash is stored.
 * A clerk belongs to exactly one store; every other role to none.
 */
export const STAFF_USERNAME_RE = /^[a-z0-9][a-z0-9_.-]{1,63}$/;
export const STAFF_DISPLAY_NAME_MAX = 32;
export const STAFF_LIST_MAX = 200;

/** Lower-cased first, then 2-64 of a-z 0-9 _ . - starting with a letter or digit. */
export const staffUsernameSchema = z
  .string()
  .max(64)
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(STAFF_USERNAME_RE, '2-64 of a-z 0-9 _ . - starting with a letter or digit'));
export const staffRoleSchema = z.enum(STAFF_ROLES);
export const staffDisplayNameSchema = cleanText({ min: 0, max: STAFF_DISPLAY_NAME_MAX });

export const staffAdminSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
  storeId: z.number().int().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type StaffAdminDto = z.infer<typeof staffAdminSchema>;

export const staffCreateRequest = z.strictObject({
  username: staffUsernameSchema,
  displayName: staffDisplayNameSchema.optional(),
  role: staffRoleSchema,
  storeId: idSchema.nullable().optional(),
});
export type StaffCreateRequest = z.infer<typeof staffCreateRequest>;

/**
 * Any of role, store, disabled, display name; at least one. When the role changes away from clerk and no
 * storeId is sent, the store is cleared; a change to clerk needs a storeId (or keeps the clerk's store).
 */
export const staffPatchRequest = z
  .strictObject({
    role: staffRoleSchema.optional(),
    storeId: idSchema.nullable().optional(),
    disabled: z.boolean().optional(),
    displayName: staffDisplayNameSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');
export type StaffPatchRequest = z.infer<typeof staffPatchRequest>;

export const staffListQuery = z.strictObject({
  role: staffRoleSchema.optional(),
  storeId: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(idSchema).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  q: z.string().max(64).optional(),
});
export type StaffListQuery = z.infer<typeof staffListQuery>;

export const staffListResponse = z.object({ staff: z.array(staffAdminSchema), truncated: z.boolean() });
/** The generated password appears in this response only; nothing stores or logs it. */
export const staffWithPasswordResponse = z.object({ staff: staffAdminSchema, password: z.string() });
export const staffResponse = z.object({ staff: staffAdminSchema });
