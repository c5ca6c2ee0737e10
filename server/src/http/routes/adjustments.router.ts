import Router from '@koa/router';
import { IMPORT_BYTES_MAX, adjustmentDecisionRequest, adjustmentListQuery, adjustmentRequest, idParamSchema, importQuery } from '@jifen/shared';
import type { Services } from '../../services';
import { AppError } from '../../errors';
import { idempotencyFrom } from '../idempotency';
import { readRawBody } from '../raw-body';
import type { AppState } from '../state';
import { actorOf, mount, staffOf } from '../route';
import { parse } from '../validate';

const LIST_LIMIT_DEFAULT = 50;

/** Adjustments with approval and bulk imports (issue 9 items 4-5). Access is checked before any body is read. */
export function adjustmentsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();

  mount(r, 'POST', '/admin/members/:id/adjustments', async (ctx) => {
    const staff = staffOf(ctx);
    const memberId = parse(idParamSchema, ctx.params.id);
    const body = parse(adjustmentRequest, ctx.request.body);
    const idem = idempotencyFrom(ctx, `staff:${staff.staffId}`, body);
    const out = await s.adjustments.adjust({ memberId, ...body }, actorOf(ctx), idem);
    if (out.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = out.status;
    ctx.body = out.body;
  });

  mount(r, 'GET', '/admin/adjustments', async (ctx) => {
    const q = parse(adjustmentListQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.adjustments.list(q.status, q.cursor, q.limit ?? LIST_LIMIT_DEFAULT);
  });

  mount(r, 'POST', '/admin/adjustments/:id/approve', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(adjustmentDecisionRequest, ctx.request.body ?? {});
    ctx.body = await s.adjustments.approve(id, actorOf(ctx), body.note);
  });

  mount(r, 'POST', '/admin/adjustments/:id/reject', async (ctx) => {
    const id = parse(idParamSchema, ctx.params.id);
    const body = parse(adjustmentDecisionRequest, ctx.request.body ?? {});
    ctx.body = await s.adjustments.reject(id, actorOf(ctx), body.note);
  });

  // The CSV arrives as the raw body (Content-Type text/csv): the JSON parser leaves it alone.
  mount(r, 'POST', '/admin/adjustments/imports', async (ctx) => {
    const actor = actorOf(ctx);
    const q = parse(importQuery, ctx.query);
    if (!ctx.is('text/csv', 'text/plain', 'application/octet-stream')) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'content-type', message: 'send the file as text/csv' }]);
    }
    const bytes = await readRawBody(ctx, IMPORT_BYTES_MAX, () => new AppError('IMPORT_TOO_LARGE', { bytesMax: IMPORT_BYTES_MAX }));
    ctx.status = 201;
    ctx.body = await s.adjustmentImports.preview(bytes, q.name ?? null, actor);
  });

  mount(r, 'GET', '/admin/adjustments/imports/:id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await s.adjustmentImports.get(parse(idParamSchema, ctx.params.id));
  });

  mount(r, 'POST', '/admin/adjustments/imports/:id/commit', async (ctx) => {
    ctx.body = await s.adjustmentImports.commit(parse(idParamSchema, ctx.params.id), actorOf(ctx));
  });

  mount(r, 'GET', '/admin/adjustments/imports/:id/result.csv', async (ctx) => {
    const out = await s.adjustmentImports.resultCsv(parse(idParamSchema, ctx.params.id));
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="${out.fileName}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = out.body;
  });

  return r;
}
