import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { PRIVATE_UPLOAD_PATH_RE, PRIVATE_UPLOAD_URL_PREFIX, PRIVATE_UPLOAD_URL_TTL_MS, UPLOAD_FILE_RE, type UploadDto } from '@jifen/shared';
import { AppError } from '../errors';
import type { Clock } from '../clock';
import { fileExists, readImage, storeImage } from './image-store';

/**
 * Members' own uploads (a dispute's screenshots) are private: "nobody sees what is not theirs". They are stored
 * under `<data dir>/private-uploads/<memberId>/<sha256>.<ext>` (apart from the public reward images, which the
 * public /uploads/ route serves) and read only at a signed URL that expires: HMAC-SHA256 over
 * `<memberId>/<file>` and the expiry, keyed by a key derived from the server's token secret (so no new secret
 * to configure, and a rotated token secret ends every outstanding link). The API signs a fresh URL each time it
 * shows a dispute, to the member who owns it or to staff with the disputes permission; the URL is the access.
 */
export class PrivateUploadsService {
  private readonly dir: string;
  private readonly key: Buffer;

  constructor(
    dataDir: string,
    tokenSecret: string,
    private readonly clock: Clock,
    private readonly ttlMs = PRIVATE_UPLOAD_URL_TTL_MS,
  ) {
    this.dir = path.join(dataDir, 'private-uploads');
    this.key = createHmac('sha256', tokenSecret).update('jifen/private-upload-links/v1').digest();
  }

  /** Checks and stores a member's image in the member's own folder; answers a signed URL to show and name it. */
  async store(memberId: number, bytes: Buffer): Promise<UploadDto> {
    const { file, ...img } = await storeImage(this.memberDir(memberId), bytes);
    return { url: this.signedUrl(memberId, file), ...img };
  }

  /** A signed, expiring URL for a member's stored file. */
  signedUrl(memberId: number, file: string): string {
    const exp = this.clock().getTime() + this.ttlMs;
    return `${PRIVATE_UPLOAD_URL_PREFIX}${memberId}/${file}?exp=${exp}&sig=${this.sign(memberId, file, exp)}`;
  }

  /**
   * The file names of URLs that name the member's OWN stored uploads (signed or not, expired or not: the member
   * just uploaded them), or null when any names another member's upload or no stored file.
   */
  async ownFiles(memberId: number, urls: readonly string[]): Promise<string[] | null> {
    const files: string[] = [];
    for (const url of urls) {
      const m = url.startsWith(PRIVATE_UPLOAD_URL_PREFIX) ? PRIVATE_UPLOAD_PATH_RE.exec(url.slice(PRIVATE_UPLOAD_URL_PREFIX.length)) : null;
      if (!m || Number(m[1]) !== memberId || !(await fileExists(path.join(this.memberDir(memberId), m[2]!)))) return null;
      files.push(m[2]!);
    }
    return files;
  }

  /** The file at a signed URL: a bad or changed signature → 403 UPLOAD_LINK_INVALID, a late one → 403 UPLOAD_LINK_EXPIRED. */
  async read(memberIdParam: string, file: string, exp: unknown, sig: unknown): Promise<{ body: Buffer; contentType: string; etag: string; expiresAt: number }> {
    const memberId = /^[1-9][0-9]{0,15}$/.test(memberIdParam) ? Number(memberIdParam) : NaN;
    if (!Number.isSafeInteger(memberId) || !UPLOAD_FILE_RE.test(file)) throw new AppError('NOT_FOUND');
    if (typeof exp !== 'string' || !/^[0-9]{1,16}$/.test(exp) || typeof sig !== 'string') throw new AppError('UPLOAD_LINK_INVALID');
    const expected = Buffer.from(this.sign(memberId, file, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('UPLOAD_LINK_INVALID');
    if (Number(exp) <= this.clock().getTime()) throw new AppError('UPLOAD_LINK_EXPIRED');
    const img = await readImage(this.memberDir(memberId), file);
    if (!img) throw new AppError('NOT_FOUND');
    return { ...img, expiresAt: Number(exp) };
  }

  private memberDir(memberId: number): string {
    return path.join(this.dir, String(memberId));
  }

  private sign(memberId: number, file: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${memberId}/${file}\n${exp}`).digest('base64url');
  }
}
