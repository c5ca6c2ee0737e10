import Router from '@koa/router';
import type { Services } from '../../services';
import { requireMember } from '../middleware/auth';
import type { AppState } from '../state';

export function rewardsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  r.get('/rewards', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.body = { rewards: await s.rewards.shelf(memberId) };
  });
  return r;
}
