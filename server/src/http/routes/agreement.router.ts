import Router from '@koa/router';
import { agreementAcceptRequest, agreementPublishRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** The agreement at registration (issue 11 item 1): the member's screen and admin's versions. */
export function agreementRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/me/agreement', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.agreements.forMember(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/agreement', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(agreementAcceptRequest, ctx.request.body);
    ctx.body = await s.agreements.accept(memberId, body, ctx.ip || null);
  });

  mount(r, 'GET', '/admin/agreements', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.agreements.list();
  });

  mount(r, 'POST', '/admin/agreements', async (ctx) => {
    const body = parse(agreementPublishRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.agreements.publish(body, actorOf(ctx));
  });

  return r;
}
