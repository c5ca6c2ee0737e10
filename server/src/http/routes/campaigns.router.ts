import Router from '@koa/router';
import { CAMPAIGN_LIST_MAX, campaignCreateRequest, campaignPatchRequest, idParamSchema, pageQuerySchema } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { memberIdOf, mount, staffOf } from '../route';
import { parse } from '../validate';

/**
 * Campaigns: marketing and admin manage them under /admin/campaigns; members read what applies to them
 * now at /campaigns/active. Access (shared/src/api) is checked before the body is read.
 */
export function campaignsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  // The stores a campaign can target (the campaign form's store chips).
  mount(r, 'GET', '/admin/stores', async (ctx) => {
    ctx.body = { stores: await s.stores.list() };
  });

  mount(r, 'GET', '/admin/campaigns', async (ctx) => {
    const q = parse(pageQuerySchema, ctx.query);
    ctx.body = await s.campaigns.list(q.cursor, q.limit ?? CAMPAIGN_LIST_MAX);
  });

  mount(r, 'POST', '/admin/campaigns', async (ctx) => {
    const staff = staffOf(ctx);
    const body = parse(campaignCreateRequest, ctx.request.body);
    // Optional here (a desktop form): when sent, a retried create replays instead of making a twin.
    const idem = ctx.get('Idempotency-Key') ? idempotencyFrom(ctx, `staff:${staff.staffId}`, body) : null;
    const out = await s.campaigns.create(staff.staffId, body, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  mount(r, 'GET', '/admin/campaigns/:id', async (ctx) => {
    ctx.body = await s.campaigns.get(parse(idParamSchema, ctx.params.id));
  });

  mount(r, 'PATCH', '/admin/campaigns/:id', async (ctx) => {
    const staff = staffOf(ctx);
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(campaignPatchRequest, ctx.request.body);
    ctx.body = await s.campaigns.update(staff.staffId, id, body);
  });

  mount(r, 'POST', '/admin/campaigns/:id/end', async (ctx) => {
    ctx.body = await s.campaigns.end(staffOf(ctx).staffId, parse(idParamSchema, ctx.params.id));
  });

  mount(r, 'GET', '/admin/campaigns/:id/history', async (ctx) => {
    ctx.body = { history: await s.campaigns.history(parse(idParamSchema, ctx.params.id)) };
  });

  mount(r, 'GET', '/campaigns/active', async (ctx) => {
    const memberId = memberIdOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { campaigns: await s.campaigns.activeFor(memberId) };
  });

  return r;
}
