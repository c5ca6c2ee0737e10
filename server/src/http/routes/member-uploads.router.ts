import Router from '@koa/router';
import { UPLOAD_BYTES_MAX } from '@jifen/shared';
import type { Services } from '../../services';
import { AppError } from '../../errors';
import { readRawBody } from '../raw-body';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';

/**
 * A member's image upload (a dispute's screenshots, issue 11 item 2): the same store as staff uploads (type read
 * from the bytes, 2 MB, content-hash name, nothing written when refused), counted against the member's hourly
 * upload limit before the body is read. Naturally idempotent: the same bytes are the same file and URL.
 */
export function memberUploadsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/me/uploads', async (ctx) => {
    s.rateLimits.memberUpload(memberIdOf(ctx));
    if (ctx.is('application/json')) throw new AppError('UPLOAD_TYPE_UNSUPPORTED');
    const bytes = await readRawBody(ctx, UPLOAD_BYTES_MAX, () => new AppError('UPLOAD_TOO_LARGE', { bytesMax: UPLOAD_BYTES_MAX }));
    ctx.status = 201;
    ctx.body = await s.uploads.store(bytes);
  });

  return r;
}
