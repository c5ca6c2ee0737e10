import Router from '@koa/router';
import { NOTIFICATION_PAGE_LIMIT_DEFAULT, birthdayRequest, idParamSchema, notificationsQuerySchema, pageQuerySchema, redeemRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { requireMember } from '../middleware/auth';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { parse } from '../validate';

/** The member's own data; every query is scoped by the token's member id, never by a client-sent id. */
export function meRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>({ prefix: '/me' });

  r.get('/', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.body = await s.members.me(memberId);
  });

  r.get('/ledger', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const q = parse(pageQuerySchema, ctx.query);
    ctx.body = await s.members.ledger(memberId, q.cursor, q.limit ?? 20);
  });

  r.get('/notifications', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const q = parse(notificationsQuerySchema, ctx.query); // pageQuerySchema with limit <= 50
    ctx.body = await s.notifications.list(memberId, q.cursor, q.limit ?? NOTIFICATION_PAGE_LIMIT_DEFAULT);
  });

  r.post('/notifications/read', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.body = await s.notifications.markAllRead(memberId);
  });

  r.get('/code', (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = s.memberCodes.issue(memberId);
  });

  r.post('/checkins', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.status = 201;
    ctx.body = await s.checkins.checkIn(memberId);
  });

  r.put('/birthday', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const { birthday } = parse(birthdayRequest, ctx.request.body);
    const member = await s.members.setBirthday(memberId, birthday, false);
    ctx.body = { member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  r.get('/redemptions', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.body = { redemptions: await s.rewards.mine(memberId) };
  });

  r.post('/redemptions', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const body = parse(redeemRequest, ctx.request.body);
    const idem = idempotencyFrom(ctx, `member:${memberId}`, body);
    const out = await s.rewards.redeem(memberId, body.rewardId, body.quantity, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  r.post('/redemptions/:id/cancel', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.body = await s.rewards.cancel(memberId, id);
  });

  return r;
}
