import Router from '@koa/router';
import { subscriptionsReportRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** The member's WeChat subscribe-message consents (the in-app notices are under /me/notifications). */
export function noticesRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/me/subscriptions', async (ctx) => {
    ctx.body = await s.subscriptions.list(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/subscriptions', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(subscriptionsReportRequest, ctx.request.body);
    const out = await s.subscriptions.report(memberId, body, idempotencyFrom(ctx, `member:${memberId}`, body));
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  return r;
}
