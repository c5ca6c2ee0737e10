import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UPLOAD_BYTES_MAX, UPLOAD_FILE_RE, UPLOAD_TYPES, UPLOAD_URL_PREFIX, type UploadDto, type UploadExt } from '@jifen/shared';
import { AppError } from '../errors';
import type { TxRunner } from '../db/transaction';
import type { Actor, AuditService } from './audit.service';
import { sniffImage } from './image-sniff';

/**
 * Images uploaded by staff (issue 9 item 2), stored under `<data dir>/uploads` as `<sha256>.<ext>`: the
 * name is the content, so the same picture is stored once and a URL never changes meaning (served with an
 * immutable cache header). The type comes from the bytes; a refused upload writes nothing (no file, no
 * row). Files are written to a temporary name and renamed, so a reader never sees half a file.
 */
export class UploadsService {
  private readonly dir: string;

  constructor(
    private readonly tx: TxRunner,
    private readonly audit: AuditService,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'uploads');
  }

  /** Checks and stores an uploaded image; the write is audited. */
  async upload(actor: Actor, bytes: Buffer, fileName: string | null): Promise<UploadDto> {
    const out = await this.store(bytes);
    await this.tx.run((m) =>
      this.audit.record(m, actor, { action: 'upload.create', targetType: 'upload', targetId: out.sha256, after: { url: out.url, contentType: out.contentType, bytes: out.bytes, width: out.width, height: out.height, fileName } }),
    );
    return out;
  }

  /** Stores image bytes without an audit row (the demo seed's shipped pictures). */
  async store(bytes: Buffer): Promise<UploadDto> {
    if (bytes.length > UPLOAD_BYTES_MAX) throw new AppError('UPLOAD_TOO_LARGE', { bytesMax: UPLOAD_BYTES_MAX });
    const img = sniffImage(bytes);
    if (!img) throw new AppError('UPLOAD_TYPE_UNSUPPORTED');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = `${sha256}.${img.ext}`;
    const target = path.join(this.dir, file);
    if (!(await exists(target))) {
      await mkdir(this.dir, { recursive: true });
      const tmp = path.join(this.dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(tmp, bytes, { flag: 'wx' });
        await rename(tmp, target);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
    }
    return { url: `${UPLOAD_URL_PREFIX}${file}`, sha256, contentType: UPLOAD_TYPES[img.ext], bytes: bytes.length, width: img.width, height: img.height };
  }

  /** Whether every URL names a stored upload (a reward's images must exist). */
  async allExist(urls: readonly string[]): Promise<boolean> {
    for (const url of urls) {
      const file = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
      if (!UPLOAD_FILE_RE.test(file) || !(await exists(path.join(this.dir, file)))) return false;
    }
    return true;
  }

  /** A stored file by name, or null. */
  async read(file: string): Promise<{ body: Buffer; contentType: string; etag: string } | null> {
    if (!UPLOAD_FILE_RE.test(file)) return null;
    try {
      const body = await readFile(path.join(this.dir, file));
      const ext = file.slice(file.lastIndexOf('.') + 1) as UploadExt;
      return { body, contentType: UPLOAD_TYPES[ext], etag: `"${file.slice(0, 64)}"` };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
