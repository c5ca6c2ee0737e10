import Router from '@koa/router';
import { planQuery, planRequest, planYearParam, pointsHealthQuery } from '@jifen/shared';
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

  mount(r, 'GET', '/admin/reports/finance', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.finance.finance();
  });

  mount(r, 'GET', '/admin/reports/finance.csv', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment; filename="points-finance.csv"');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = await s.finance.financeCsv();
  });

  // Public: members read it without signing in (积分健康报告).
  mount(r, 'GET', '/reports/points-health', async (ctx) => {
    const q = parse(pointsHealthQuery, ctx.query);
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = await s.finance.pointsHealth(q.quarter);
  });

  return r;
}
