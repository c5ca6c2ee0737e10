import Router from '@koa/router';
import { donationRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** The member's side of expiry that gives back: coupons (卡券) and donations to the charity pool. */
export function givebackRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/me/coupons', async (ctx) => {
    ctx.body = await s.coupons.list(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/donations', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(donationRequest, ctx.request.body);
    const out = await s.charity.donate(memberId, body.points, idempotencyFrom(ctx, `member:${memberId}`, body));
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  return r;
}
