import Router from '@koa/router';
import { CAMPAIGN_LIST_MAX, campaignCreateRequest, campaignPatchRequest, idParamSchema, pageQuerySchema } from '@jifen/shared';
import type { Services } from '../../services';
import { StoreEntity } from '../../db/entities';
import { requireMember, requireStaff } from '../middleware/auth';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { parse } from '../validate';

/**
 * Campaigns: marketing and admin manage them under /admin/campaigns (clerks and members 403);
 * members read what applies to them now at /campaigns/active. Auth is checked before the body.
 */
export function campaignsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  const marketer = (state: AppState) => requireStaff(state, 'marketing', 'admin');

  // The stores a campaign can target (the campaign form's store chips).
  r.get('/admin/stores', async (ctx) => {
    marketer(ctx.state);
    const stores = await s.tx.manager.getRepository(StoreEntity).find({ order: { id: 'ASC' }, take: 500 });
    ctx.body = { stores: stores.map((st) => ({ id: st.id, code: st.code, name: st.name })) };
  });

  r.get('/admin/campaigns', async (ctx) => {
    marketer(ctx.state);
    const q = parse(pageQuerySchema, ctx.query);
    ctx.body = await s.campaigns.list(q.cursor, q.limit ?? CAMPAIGN_LIST_MAX);
  });

  r.post('/admin/campaigns', async (ctx) => {
    const staff = marketer(ctx.state);
    const body = parse(campaignCreateRequest, ctx.request.body);
    // Optional here (a desktop form): when sent, a retried create replays instead of making a twin.
    const idem = ctx.get('Idempotency-Key') ? idempotencyFrom(ctx, `staff:${staff.staffId}`, body) : null;
    const out = await s.campaigns.create(staff.staffId, body, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  r.get('/admin/campaigns/:id', async (ctx) => {
    marketer(ctx.state);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.body = await s.campaigns.get(id);
  });

  r.patch('/admin/campaigns/:id', async (ctx) => {
    const staff = marketer(ctx.state);
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(campaignPatchRequest, ctx.request.body);
    ctx.body = await s.campaigns.update(staff.staffId, id, body);
  });

  r.post('/admin/campaigns/:id/end', async (ctx) => {
    const staff = marketer(ctx.state);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.body = await s.campaigns.end(staff.staffId, id);
  });

  r.get('/admin/campaigns/:id/history', async (ctx) => {
    marketer(ctx.state);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.body = { history: await s.campaigns.history(id) };
  });

  r.get('/campaigns/active', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { campaigns: await s.campaigns.activeFor(memberId) };
  });

  return r;
}
