import Router from '@koa/router';
import { healthReportQuery } from '@jifen/shared';
import type { Services } from '../../services';
import { requireStaff } from '../middleware/auth';
import type { AppState } from '../state';
import { parse } from '../validate';

/** Reports for marketing and admins; the role is checked before the query is read. */
export function reportsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>({ prefix: '/admin/reports' });

  r.get('/health', async (ctx) => {
    requireStaff(ctx.state, 'marketing', 'admin');
    const query = parse(healthReportQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.reports.health(query);
  });

  return r;
}
