import Router from '@koa/router';
import { NOTIFICATION_PAGE_LIMIT_DEFAULT, birthdayRequest, idParamSchema, notificationsQuerySchema, notificationsReadRequest, pageQuerySchema, redeemRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { memberIdOf, mount } from '../route';
import { parse } from '../validate';

/** The member's own data; every query is scoped by the token's member id, never by a client-sent id. */
export function meRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/me', async (ctx) => {
    ctx.body = await s.members.me(memberIdOf(ctx));
  });

  mount(r, 'GET', '/me/ledger', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const q = parse(pageQuerySchema, ctx.query);
    ctx.body = await s.members.ledger(memberId, q.cursor, q.limit ?? 20);
  });

  mount(r, 'GET', '/me/notifications', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const q = parse(notificationsQuerySchema, ctx.query); // pageQuerySchema with limit <= 50
    ctx.body = await s.notifications.list(memberId, q.cursor, q.limit ?? NOTIFICATION_PAGE_LIMIT_DEFAULT);
  });

  mount(r, 'POST', '/me/notifications/read', async (ctx) => {
    const memberId = memberIdOf(ctx);
    ctx.body = await s.notifications.markRead(memberId, parse(notificationsReadRequest, ctx.request.body));
  });

  mount(r, 'GET', '/me/code', (ctx) => {
    const memberId = memberIdOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = s.memberCodes.issue(memberId);
  });

  mount(r, 'POST', '/me/checkins', async (ctx) => {
    const memberId = memberIdOf(ctx);
    ctx.status = 201;
    ctx.body = await s.checkins.checkIn(memberId);
  });

  mount(r, 'PUT', '/me/birthday', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const { birthday } = parse(birthdayRequest, ctx.request.body);
    const member = await s.members.setBirthday(memberId, birthday, false);
    ctx.body = { member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  mount(r, 'GET', '/me/redemptions', async (ctx) => {
    ctx.body = { redemptions: await s.rewards.mine(memberIdOf(ctx)) };
  });

  mount(r, 'POST', '/me/redemptions', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(redeemRequest, ctx.request.body);
    const idem = idempotencyFrom(ctx, `member:${memberId}`, body);
    const out = await s.rewards.redeem(memberId, body.rewardId, body.quantity, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  mount(r, 'POST', '/me/redemptions/:id/cancel', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.body = await s.rewards.cancel(memberId, id);
  });

  return r;
}
