import { z } from 'zod';

/** POST /me/phone: the code from <Button openType="getPhoneNumber"> (or dev:<phone> in WECHAT_MODE=dev). */
export const phoneBindRequest = z.strictObject({ code: z.string().trim().min(1).max(200) });
/** The bound phone, masked (138****8000). */
export const phoneBindResponse = z.object({ phone: z.string() });
export type PhoneBindResponse = z.infer<typeof phoneBindResponse>;
