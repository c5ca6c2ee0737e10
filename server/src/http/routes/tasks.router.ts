import Router from '@koa/router';
import { bindCardRequest, birthdayRequest, idParamSchema, inviteRequest, reviewTaskRequest, shareTaskRequest, surveyCreateRequest, surveyTaskRequest } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { actorOf, memberIdOf, mount } from '../route';
import { parse } from '../validate';

/**
 * Earning channels beyond purchase (issue 4 item 7), the member's invites, and the birthday correction by
 * service or admin (item 8). Every task answers 201 {task, points, breakdown, balance}.
 */
export function tasksRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/me/tasks', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.taskCenter.overview(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/tasks/review', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const body = parse(reviewTaskRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.review(memberId, body);
  });

  mount(r, 'POST', '/me/tasks/bind-card', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const { cardNo } = parse(bindCardRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.bindCard(memberId, cardNo);
  });

  mount(r, 'POST', '/me/tasks/share', async (ctx) => {
    const memberId = memberIdOf(ctx);
    parse(shareTaskRequest, ctx.request.body ?? {});
    ctx.status = 201;
    ctx.body = await s.tasks.share(memberId);
  });

  mount(r, 'POST', '/me/tasks/survey', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const { surveyId, answers } = parse(surveyTaskRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.survey(memberId, surveyId, answers);
  });

  mount(r, 'GET', '/me/surveys', async (ctx) => {
    ctx.body = { surveys: await s.surveys.openFor(memberIdOf(ctx)) };
  });

  mount(r, 'GET', '/admin/surveys', async (ctx) => {
    ctx.body = { surveys: await s.surveys.list() };
  });

  mount(r, 'POST', '/admin/surveys', async (ctx) => {
    const body = parse(surveyCreateRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = { survey: await s.surveys.create(actorOf(ctx), body) };
  });

  mount(r, 'GET', '/me/invite-code', async (ctx) => {
    ctx.body = await s.invites.inviteCode(memberIdOf(ctx));
  });

  mount(r, 'POST', '/me/invites', async (ctx) => {
    const memberId = memberIdOf(ctx);
    const { inviteCode } = parse(inviteRequest, ctx.request.body);
    const out = await s.invites.recordInvite(memberId, inviteCode);
    ctx.status = out.created ? 201 : 200;
    ctx.body = out.body;
  });

  mount(r, 'PUT', '/admin/members/:id/birthday', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const { birthday } = parse(birthdayRequest, ctx.request.body);
    const member = await s.members.setBirthday(id, birthday, true);
    ctx.body = { member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  return r;
}
