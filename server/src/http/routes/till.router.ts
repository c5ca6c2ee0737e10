import Router from '@koa/router';
import { orderNoSchema, pickupCodeSchema, purchaseRequest, refundRequest, tillMemberRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { clerkOf, mount } from '../route';
import { parse } from '../validate';

/** Clerk routes: the store always comes from the account, never from the request. */
export function tillRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/till/purchases', async (ctx) => {
    const clerk = clerkOf(ctx);
    const body = parse(purchaseRequest, ctx.request.body);
    await s.stores.assertOpen(clerk.storeId); // a closed store takes no new purchases (403 STORE_CLOSED)
    const out = await s.till.postWithCode(clerk, body);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.replayed ? 200 : 201;
    ctx.body = out.result;
  });

  mount(r, 'POST', '/till/members/lookup', async (ctx) => {
    clerkOf(ctx);
    const { memberCode } = parse(tillMemberRequest, ctx.request.body);
    ctx.body = await s.tillPoints.preview(memberCode);
  });

  mount(r, 'POST', '/till/purchases/:orderNo/refunds', async (ctx) => {
    const clerk = clerkOf(ctx);
    const orderNo = parse(orderNoSchema, ctx.params.orderNo);
    const body = parse(refundRequest, ctx.request.body);
    const idem = idempotencyFrom(ctx, `staff:${clerk.staffId}`, body);
    const out = await s.till.refund(clerk, orderNo, body.amountFen, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  mount(r, 'POST', '/till/redemptions/:pickupCode/fulfil', async (ctx) => {
    const clerk = clerkOf(ctx);
    const code = parse(pickupCodeSchema, String(ctx.params.pickupCode).toUpperCase());
    ctx.body = await s.rewards.fulfil(clerk, code);
  });

  return r;
}
