import Router from '@koa/router';
import { planQuery, planRequest, planYearParam } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, mount } from '../route';
import { parse } from '../validate';

/** The yearly quantity plan, the inflation guard and the rule versions (issue 10.3, 10.4). */
export function economyRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/economics/plan', async (ctx) => {
    const q = parse(planQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.economy.plan(q.year ?? s.economy.currentYear());
  });

  mount(r, 'PUT', '/admin/economics/plan/:year', async (ctx) => {
    const year = parse(planYearParam, ctx.params.year);
    const body = parse(planRequest, ctx.request.body);
    ctx.body = await s.economy.savePlan(year, body, actorOf(ctx));
  });

  mount(r, 'GET', '/admin/economics/guard', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.economy.guard();
  });

  mount(r, 'GET', '/admin/economics/versions', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.economy.versionList();
  });

  return r;
}
