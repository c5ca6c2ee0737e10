import Router from '@koa/router';
import { MEMBER_SEARCH_LIMIT_DEFAULT, MEMBER_PAGE_LIST_MAX, adminLedgerQuery, idParamSchema, memberSearchQuery } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount, staffOf } from '../route';
import { parse } from '../validate';

/** Member look-up and the member page (issue 9 item 3); what a phone shows depends on the caller's role. */
export function membersAdminRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/members', async (ctx) => {
    const staff = staffOf(ctx);
    const q = parse(memberSearchQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.memberAdmin.search(q.q || undefined, q.cursor, q.limit ?? MEMBER_SEARCH_LIMIT_DEFAULT, staff.role);
  });

  mount(r, 'GET', '/admin/members/:id', async (ctx) => {
    const staff = staffOf(ctx);
    const id = parse(idParamSchema, ctx.params.id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.memberAdmin.detail(id, staff.role);
  });

  mount(r, 'GET', '/admin/members/:id/ledger', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const q = parse(adminLedgerQuery, ctx.query);
    ctx.body = await s.memberAdmin.ledger(id, q.cursor, q.limit ?? MEMBER_PAGE_LIST_MAX);
  });

  return r;
}
