import Router from '@koa/router';
import { auditQuery } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { parse } from '../validate';

/** The audit trail, read only (admin): nothing here or anywhere else edits or deletes it. */
export function auditRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'GET', '/admin/audit', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.auditQuery.list(parse(auditQuery, ctx.query));
  });

  return r;
}
