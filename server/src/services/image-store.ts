import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UPLOAD_BYTES_MAX, UPLOAD_FILE_RE, UPLOAD_TYPES, type UploadDto, type UploadExt } from '@jifen/shared';
import { AppError } from '../errors';
import { sniffImage } from './image-sniff';

/** A checked image stored in a folder under its content name (`<sha256>.<ext>`). */
export type StoredImage = Omit<UploadDto, 'url'> & { file: string };

/**
 * Checks image bytes and stores them in `dir` as `<sha256>.<ext>`: the name is the content, so the same picture
 * is stored once. The type comes from the bytes; a refused image writes nothing. Files are written to a
 * temporary name and renamed, so a reader never sees half a file.
 */
export async function storeImage(dir: string, bytes: Buffer): Promise<StoredImage> {
  if (bytes.length > UPLOAD_BYTES_MAX) throw new AppError('UPLOAD_TOO_LARGE', { bytesMax: UPLOAD_BYTES_MAX });
  const img = sniffImage(bytes);
  if (!img) throw new AppError('UPLOAD_TYPE_UNSUPPORTED');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `${sha256}.${img.ext}`;
  const target = path.join(dir, file);
  if (!(await fileExists(target))) {
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, target);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
  return { file, sha256, contentType: UPLOAD_TYPES[img.ext], bytes: bytes.length, width: img.width, height: img.height };
}

/** A stored image of `dir` by its content name, or null. */
export async function readImage(dir: string, file: string): Promise<{ body: Buffer; contentType: string; etag: string } | null> {
  if (!UPLOAD_FILE_RE.test(file)) return null;
  try {
    const body = await readFile(path.join(dir, file));
    const ext = file.slice(file.lastIndexOf('.') + 1) as UploadExt;
    return { body, contentType: UPLOAD_TYPES[ext], etag: `"${file.slice(0, 64)}"` };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function fileExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
