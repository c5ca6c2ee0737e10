import Router from '@koa/router';
import { UPLOAD_BYTES_MAX } from '@jifen/shared';
import type { Services } from '../../services';
import { AppError } from '../../errors';
import { readRawBody } from '../raw-body';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';

/**
 * A member's image upload (a dispute's screenshots, issue 11 item 2): checked like staff uploads (type read from
 * the bytes, 2 MB, content-hash name, nothing written when refused) but PRIVATE: kept in the member's own folder,
 * never at the public /uploads/ URL, and read only at a signed URL that expires. Counted against the member's
 * hourly upload limit before the body is read. Naturally idempotent: the same bytes are the same file.
 */
export function memberUploadsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/me/uploads', async (ctx) => {
    s.rateLimits.memberUpload(memberIdOf(ctx));
    if (ctx.is('application/json')) throw new AppError('UPLOAD_TYPE_UNSUPPORTED');
    const bytes = await readRawBody(ctx, UPLOAD_BYTES_MAX, () => new AppError('UPLOAD_TOO_LARGE', { bytesMax: UPLOAD_BYTES_MAX }));
    ctx.status = 201;
    ctx.body = await s.privateUploads.store(memberIdOf(ctx), bytes);
  });

  // The signature is the access (the member who owns the dispute, or staff who answer disputes, were handed it).
  mount(r, 'GET', '/private-uploads/:memberId/:file', async (ctx) => {
    const file = await s.privateUploads.read(String(ctx.params.memberId), String(ctx.params.file), ctx.query.exp, ctx.query.sig);
    const maxAge = Math.max(0, Math.floor((file.expiresAt - s.clock().getTime()) / 1000));
    ctx.set('Cache-Control', `private, max-age=${maxAge}`);
    ctx.set('ETag', file.etag);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = file.contentType;
    ctx.body = file.body;
  });

  return r;
}
