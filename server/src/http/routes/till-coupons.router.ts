import Router from '@koa/router';
import { couponRedeemRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, clerkOf, mount } from '../route';
import { parse } from '../validate';

/** The till redeems a member's coupon against an order (single use); the store comes from the clerk's account. */
export function tillCouponsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/till/coupons/redeem', async (ctx) => {
    const clerk = clerkOf(ctx);
    const body = parse(couponRedeemRequest, ctx.request.body);
    const out = await s.coupons.redeem(clerk, actorOf(ctx), body);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.replayed ? 200 : 201;
    ctx.body = out.body;
  });

  return r;
}
