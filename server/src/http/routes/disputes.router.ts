import Router from '@koa/router';
import { adminDisputeQuery, disputeAnswerRequest, disputeCreateRequest, idParamSchema } from '@jifen/shared';
import type { Services } from '../../services';
import { idempotencyFrom } from '../idempotency';
import type { AppState } from '../state';
import { actorOf, memberIdOf, mount } from '../route';
import { parse } from '../validate';

const QUEUE_LIMIT_DEFAULT = 50;

/** Disputes (issue 11 item 2): the member files and follows; service and admin answer from the queue. */
export function disputesRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/me/disputes', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(disputeCreateRequest, ctx.request.body);
    const idem = idempotencyFrom(ctx, `member:${memberId}`, body);
    const out = await s.disputes.file(memberId, body, idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  mount(r, 'GET', '/me/disputes', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.disputes.mine(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/disputes/:id/close', async (ctx) => {
    const memberId = memberIdOf(ctx);
    ctx.body = await s.disputes.close(memberId, parse(idParamSchema, ctx.params.id));
  });

  mount(r, 'GET', '/admin/disputes', async (ctx) => {
    const q = parse(adminDisputeQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.disputes.queue(q.status, q.limit ?? QUEUE_LIMIT_DEFAULT);
  });

  mount(r, 'POST', '/admin/disputes/:id/answer', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(disputeAnswerRequest, ctx.request.body);
    ctx.body = await s.disputes.answer(id, body, actorOf(ctx));
  });

  return r;
}
