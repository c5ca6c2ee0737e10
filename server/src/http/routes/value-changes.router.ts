import Router from '@koa/router';
import { valueChangeRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** Value changes with notice and compensation (issue 10.5). */
export function valueChangesRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/admin/value-changes/simulate', async (ctx) => {
    const body = parse(valueChangeRequest, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.valueChanges.simulate(body);
  });

  mount(r, 'POST', '/admin/value-changes', async (ctx) => {
    const body = parse(valueChangeRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.valueChanges.publish(body, actorOf(ctx));
  });

  mount(r, 'GET', '/admin/value-changes', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await s.valueChanges.list(), noticeDays: s.rules.valueChangeNoticeDays };
  });

  mount(r, 'GET', '/me/value-changes', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.valueChanges.forMember(memberIdOf(ctx));
  });

  return r;
}
