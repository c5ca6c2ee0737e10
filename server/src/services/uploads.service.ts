import path from 'node:path';
import { UPLOAD_FILE_RE, UPLOAD_URL_PREFIX, type UploadDto } from '@jifen/shared';
import type { TxRunner } from '../db/transaction';
import type { Actor, AuditService } from './audit.service';
import { fileExists, readImage, storeImage } from './image-store';

/**
 * Public images uploaded by staff (issue 9 item 2: rewards' pictures), stored under `<data dir>/uploads` as
 * `<sha256>.<ext>`: the name is the content, so the same picture is stored once and a URL never changes meaning
 * (served with an immutable cache header). A refused upload writes nothing (no file, no row). Members' uploads
 * are private and kept elsewhere (PrivateUploadsService).
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
    const { file, ...img } = await storeImage(this.dir, bytes);
    return { url: `${UPLOAD_URL_PREFIX}${file}`, ...img };
  }

  /** Whether every URL names a stored upload (a reward's images must exist). */
  async allExist(urls: readonly string[]): Promise<boolean> {
    for (const url of urls) {
      const file = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
      if (!UPLOAD_FILE_RE.test(file) || !(await fileExists(path.join(this.dir, file)))) return false;
    }
    return true;
  }

  /** A stored file by name, or null. */
  async read(file: string): Promise<{ body: Buffer; contentType: string; etag: string } | null> {
    return readImage(this.dir, file);
  }
}
