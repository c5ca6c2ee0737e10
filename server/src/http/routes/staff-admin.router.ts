import Router from '@koa/router';
import { idParamSchema, staffCreateRequest, staffListQuery, staffPatchRequest, storeCreateRequest, storePatchRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, mount } from '../route';
import { parse } from '../validate';

/**
 * Staff accounts and stores (admin). Answers that carry a generated password are never cached by a
 * browser or proxy; GET /admin/stores stays with the campaigns router (marketing and service read it too).
 */
export function staffAdminRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/staff', async (ctx) => {
    ctx.body = await s.staffAdmin.list(parse(staffListQuery, ctx.query));
  });

  mount(r, 'POST', '/admin/staff', async (ctx) => {
    const body = parse(staffCreateRequest, ctx.request.body);
    const out = await s.staffAdmin.create(actorOf(ctx), body);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = out;
  });

  mount(r, 'PATCH', '/admin/staff/:id', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(staffPatchRequest, ctx.request.body);
    ctx.body = { staff: await s.staffAdmin.update(actorOf(ctx), id, body) };
  });

  mount(r, 'POST', '/admin/staff/:id/password', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const out = await s.staffAdmin.resetPassword(actorOf(ctx), id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = out;
  });

  mount(r, 'POST', '/admin/stores', async (ctx) => {
    const body = parse(storeCreateRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = { store: await s.stores.create(actorOf(ctx), body) };
  });

  mount(r, 'PATCH', '/admin/stores/:id', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(storePatchRequest, ctx.request.body);
    ctx.body = { store: await s.stores.update(actorOf(ctx), id, body) };
  });

  return r;
}
