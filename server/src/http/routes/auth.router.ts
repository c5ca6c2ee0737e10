import Router from '@koa/router';
import { staffLoginRequest, wechatLoginRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { parse } from '../validate';

/** Sign-in for members (WeChat) and staff (username and password). */
export function authRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/auth/wechat', async (ctx) => {
    const { code } = parse(wechatLoginRequest, ctx.request.body);
    s.rateLimits.loginAttempt(ctx.ip);
    const { openid } = await s.wechat.code2Session(code);
    const devName = openid.startsWith('dev_') ? openid.slice(4) : undefined;
    // Accounts are free to make: new ones per address are limited (issue 8 item 6), returning members are not.
    const member = await s.members.loginOpenid(openid, devName, () => s.rateLimits.newMember(ctx.ip));
    const token = await s.tokens.sign({ kind: 'member', memberId: member.id });
    ctx.body = { token, member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  mount(r, 'POST', '/auth/staff', async (ctx) => {
    const { username, password } = parse(staffLoginRequest, ctx.request.body);
    // A failed attempt leaves an audit row (actor: the username tried).
    const staff = await s.staffAdmin.login(username, password, { ip: ctx.ip, requestId: ctx.state.requestId });
    const token = await s.tokens.sign({ kind: 'staff', staffId: staff.id, role: staff.role, storeId: staff.storeId, username: staff.username, sessionVersion: staff.sessionVersion });
    ctx.body = { token, staff: await s.staff.profile(staff) };
  });

  return r;
}
