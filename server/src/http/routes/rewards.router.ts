import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';

export function rewardsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  mount(r, 'GET', '/rewards', async (ctx) => {
    ctx.body = { rewards: await s.rewards.shelf(memberIdOf(ctx)) };
  });
  return r;
}
