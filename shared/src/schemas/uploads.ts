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

/**
 * A member's own upload (a dispute's screenshot) is private: stored apart from the public images and served
 * only at a signed, short-lived URL `/api/v1/private-uploads/<memberId>/<file>?exp=<ms>&sig=<hmac>` that the API
 * hands to the member who owns it and to staff who answer disputes. Never at the public /uploads/ URL.
 */
export const PRIVATE_UPLOAD_URL_PREFIX = '/api/v1/private-uploads/';
/** How long a signed private-upload URL works (the API signs a fresh one on every read). */
export const PRIVATE_UPLOAD_URL_TTL_MS = 15 * 60_000;
/** `<memberId>/<file>` with an optional query (the signature) after it. */
export const PRIVATE_UPLOAD_PATH_RE = /^([1-9][0-9]{0,15})\/([0-9a-f]{64}\.(?:png|jpg|webp))(?:\?.*)?$/;

/** A dispute's image as POST /me/uploads answered it (signed or not: the server checks it is the member's own). */
export const memberUploadUrlSchema = z
  .string()
  .max(400)
  .refine((s) => s.startsWith(PRIVATE_UPLOAD_URL_PREFIX) && PRIVATE_UPLOAD_PATH_RE.test(s.slice(PRIVATE_UPLOAD_URL_PREFIX.length)), 'an image URL answered by POST /me/uploads');

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
