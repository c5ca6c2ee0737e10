import Router from '@koa/router';
import { healthReportQuery } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { parse } from '../validate';

/** Reports for marketing and admins; the role is checked before the query is read. */
export function reportsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/reports/health', async (ctx) => {
    const query = parse(healthReportQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.reports.health(query);
  });

  return r;
}
