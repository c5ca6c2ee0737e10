import Router from '@koa/router';
import { staffLoginRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { parse } from '../validate';

export function staffAuthRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>({ prefix: '/auth' });
  r.post('/staff', async (ctx) => {
    const { username, password } = parse(staffLoginRequest, ctx.request.body);
    const staff = await s.staff.login(username, password, ctx.ip);
    const token = await s.tokens.sign({ kind: 'staff', staffId: staff.id, role: staff.role, storeId: staff.storeId, username: staff.username });
    ctx.body = { token, staff: await s.staff.profile(staff) };
  });
  return r;
}
