import Router from '@koa/router';
import { phoneBindRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** The member binds a phone number (issue 9 item 3); the number comes from WeChat, never from the request. */
export function phoneRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/me/phone', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const { code } = parse(phoneBindRequest, ctx.request.body);
    ctx.body = await s.phone.bind(memberId, code);
  });

  return r;
}
