import Router from '@koa/router';
import { bindCardRequest, birthdayRequest, idParamSchema, inviteRequest, reviewTaskRequest, shareTaskRequest, surveyTaskRequest } from '@jifen/shared';
import type { Services } from '../../services';
import { requireMember, requireStaff } from '../middleware/auth';
import type { AppState } from '../state';
import { parse } from '../validate';

/**
 * Earning channels beyond purchase (issue 4 item 7), the member's invites, and the admin's birthday
 * correction (item 8). Every task answers 201 {task, points, breakdown, balance}.
 */
export function tasksRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  r.post('/me/tasks/review', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const body = parse(reviewTaskRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.review(memberId, body);
  });

  r.post('/me/tasks/bind-card', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    parse(bindCardRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.bindCard(memberId);
  });

  r.post('/me/tasks/share', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    parse(shareTaskRequest, ctx.request.body ?? {});
    ctx.status = 201;
    ctx.body = await s.tasks.share(memberId);
  });

  r.post('/me/tasks/survey', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const { surveyId } = parse(surveyTaskRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await s.tasks.survey(memberId, surveyId);
  });

  r.get('/me/invite-code', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    ctx.body = await s.tasks.inviteCode(memberId);
  });

  r.post('/me/invites', async (ctx) => {
    const { memberId } = requireMember(ctx.state);
    const { inviteCode } = parse(inviteRequest, ctx.request.body);
    const out = await s.tasks.recordInvite(memberId, inviteCode);
    ctx.status = out.created ? 201 : 200;
    ctx.body = out.body;
  });

  // Admin correction of a member's birthday (members set it once themselves: PUT /me/birthday).
  r.put('/admin/members/:id/birthday', async (ctx) => {
    requireStaff(ctx.state, 'admin');
    const id = parse(idParamSchema, ctx.params.id);
    const { birthday } = parse(birthdayRequest, ctx.request.body);
    const member = await s.members.setBirthday(id, birthday, true);
    ctx.body = { member: { id: member.id, nickname: member.nickname, birthday: member.birthday } };
  });

  return r;
}
