import { z } from 'zod';

/**
 * Images uploaded by staff (issue 9 item 2): PNG, JPEG or WebP up to 2 MB, the type read from the bytes.
 * Stored by content hash, so a URL names its bytes forever (served with an immutable cache header).
 */
export const UPLOAD_BYTES_MAX = 2 * 1024 * 1024;
export const UPLOAD_TYPES = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const;
export type UploadExt = keyof typeof UPLOAD_TYPES;
export const UPLOAD_URL_PREFIX = '/api/v1/uploads/';
export const UPLOAD_FILE_RE = /^[0-9a-f]{64}\.(png|jpg|webp)$/;

/** The URL of a stored upload, as POST /admin/uploads (staff) or /me/uploads (member) answers it. */
export const uploadUrlSchema = z
  .string()
  .max(200)
  .refine((s) => s.startsWith(UPLOAD_URL_PREFIX) && UPLOAD_FILE_RE.test(s.slice(UPLOAD_URL_PREFIX.length)), 'an image URL answered by POST /admin/uploads or /me/uploads');

export const uploadResponse = z.object({
  url: z.string(),
  sha256: z.string(),
  contentType: z.enum([UPLOAD_TYPES.png, UPLOAD_TYPES.jpg, UPLOAD_TYPES.webp]),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});
export type UploadDto = z.infer<typeof uploadResponse>;
