import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';

/** The admin's landing page: independent cards, one failing never hides the others. */
export function dashboardRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/dashboard', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.dashboard.cardsNow((key, e) => ctx.state.log.error({ err: e, card: key }, 'dashboard card failed'));
  });

  return r;
}
