import Router from '@koa/router';
import { UPLOAD_BYTES_MAX, idParamSchema, rewardCreateRequest, rewardListQuery, rewardPatchRequest, stockMoveRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { AppError } from '../../errors';
import { idempotencyFrom } from '../idempotency';
import { readRawBody } from '../raw-body';
import type { AppState } from '../state';
import { actorOf, mount, staffOf } from '../route';
import { parse } from '../validate';

/** Uploaded images never change under their name (it is their content hash): a year, immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The rewards catalogue and image uploads (issue 9 items 1-2). Access is checked before any body is read. */
export function rewardsAdminRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/rewards', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.rewardsAdmin.list(parse(rewardListQuery, ctx.query));
  });

  mount(r, 'POST', '/admin/rewards', async (ctx) => {
    const body = parse(rewardCreateRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = { reward: await s.rewardsAdmin.create(actorOf(ctx), body) };
  });

  mount(r, 'GET', '/admin/rewards/:id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.rewardsAdmin.get(parse(idParamSchema, ctx.params.id));
  });

  mount(r, 'PATCH', '/admin/rewards/:id', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(rewardPatchRequest, ctx.request.body);
    ctx.body = { reward: await s.rewardsAdmin.update(actorOf(ctx), id, body) };
  });

  mount(r, 'POST', '/admin/rewards/:id/stock', async (ctx) => {
    const staff = staffOf(ctx);
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(stockMoveRequest, ctx.request.body);
    const out = await s.rewardsAdmin.moveStock(actorOf(ctx), id, body, idempotencyFrom(ctx, `staff:${staff.staffId}`, { id, ...body }));
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  // The image arrives as the raw body; the JSON parser leaves anything but application/json alone.
  mount(r, 'POST', '/admin/uploads', async (ctx) => {
    const actor = actorOf(ctx);
    if (ctx.is('application/json')) throw new AppError('UPLOAD_TYPE_UNSUPPORTED');
    const bytes = await readRawBody(ctx, UPLOAD_BYTES_MAX, () => new AppError('UPLOAD_TOO_LARGE', { bytesMax: UPLOAD_BYTES_MAX }));
    const name = typeof ctx.query.name === 'string' ? ctx.query.name.slice(0, 100) : null;
    ctx.status = 201;
    ctx.body = await s.uploads.upload(actor, bytes, name);
  });

  mount(r, 'GET', '/uploads/:file', async (ctx) => {
    const file = await s.uploads.read(String(ctx.params.file));
    if (!file) throw new AppError('NOT_FOUND');
    ctx.set('Cache-Control', IMMUTABLE);
    ctx.set('ETag', file.etag);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = file.contentType;
    ctx.status = 200; // koa's freshness check needs a 2xx status first
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  });

  return r;
}
