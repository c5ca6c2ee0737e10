import { z } from 'zod';
import { STAFF_ROLES } from '../api/roles';

export const wechatLoginRequest = z.strictObject({ code: z.string().min(1).max(200) });
export const staffLoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const memberProfileSchema = z.object({
  id: z.number().int(),
  nickname: z.string(),
  birthday: z.string().nullable(),
});
export const staffProfileSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.enum(STAFF_ROLES),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
});
export const wechatLoginResponse = z.object({ token: z.string(), member: memberProfileSchema });
export const staffLoginResponse = z.object({ token: z.string(), staff: staffProfileSchema });

export type WechatLoginRequest = z.infer<typeof wechatLoginRequest>;
export type StaffLoginRequest = z.infer<typeof staffLoginRequest>;
export type MemberProfile = z.infer<typeof memberProfileSchema>;
export type StaffProfile = z.infer<typeof staffProfileSchema>;
