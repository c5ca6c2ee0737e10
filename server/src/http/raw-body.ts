import type { Context } from 'koa';
import type { AppError } from '../errors';

/** Past this many times the limit a body is no longer drained politely: the connection is dropped. */
const DRAIN_FACTOR_MAX = 8;

/**
 * Reads a non-JSON request body (a CSV upload) up to `limitBytes`. A Content-Length over the limit is refused
 * before reading; a body that grows past it while streaming is drained (so the client gets the answer rather
 * than a reset) and refused with the same error.
 */
export async function readRawBody(ctx: Context, limitBytes: number, tooLarge: () => AppError): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > limitBytes * DRAIN_FACTOR_MAX) break;
    if (size <= limitBytes) chunks.push(buf);
  }
  if (size > limitBytes) throw tooLarge();
  return Buffer.concat(chunks);
}
