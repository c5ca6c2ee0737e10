import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount, staffOf } from '../route';

/** The back office's landing page: independent cards (each role its own), one failing never hides the others. */
export function dashboardRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/dashboard', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.dashboard.cardsNow(staffOf(ctx).role, (key, e) => ctx.state.log.error({ err: e, card: key }, 'dashboard card failed'));
  });

  return r;
}
