import Router from '@koa/router';
import { wechatLoginRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { parse } from '../validate';

export function authRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>({ prefix: '/auth' });

  r.post('/wechat', async (ctx) => {
    const { code } = parse(wechatLoginRequest, ctx.request.body);
    const { openid } = await s.wechat.code2Session(code);
    const devName = openid.startsWith('dev_') ? openid.slice(4) : undefined;
    const member = await s.members.loginOpenid(openid, devName);
    const token = await s.tokens.sign({ kind: 'member', memberId: member.id });
    ctx.body = { token, member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  return r;
}
