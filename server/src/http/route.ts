import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { accessAllows, findRoute, type HttpMethod, type RouteSpec } from '@jifen/shared';
import { AppError } from '../errors';
import type { Actor } from '../services/audit.service';
import type { AppState, Auth } from './state';

export type Ctx = RouterContext<AppState>;
type StaffAuth = Extract<Auth, { kind: 'staff' }>;

/**
 * Mounts a handler for a route of the shared route table (shared/src/api), after checking the caller
 * against the route's access: the one role matrix, enforced here for every route. A route missing from
 * the table stops the app at boot, so nothing is served without a documented contract and a role rule.
 * Checks that need the data (a clerk's store, a member's own rows) stay in the services.
 */
export function mount(r: Router<AppState>, method: HttpMethod, path: string, handler: (ctx: Ctx) => unknown | Promise<unknown>): RouteSpec {
  const spec = findRoute(method, path);
  if (!spec) throw new Error(`${method} ${path} is mounted but not described in shared/src/api/routes (the role matrix and API reference)`);
  const guarded = async (ctx: Ctx) => {
    authorize(ctx.state, spec);
    if (spec.gate === 'agreement' && ctx.state.auth?.kind === 'member') {
      if (!ctx.state.requireAgreement) throw new Error(`${method} ${path} is gated by the agreement but the app set no check`);
      await ctx.state.requireAgreement(ctx.state.auth.memberId);
    }
    await handler(ctx);
  };
  switch (method) {
    case 'GET':
      r.get(path, guarded);
      break;
    case 'POST':
      r.post(path, guarded);
      break;
    case 'PUT':
      r.put(path, guarded);
      break;
    case 'PATCH':
      r.patch(path, guarded);
      break;
    case 'DELETE':
      r.delete(path, guarded);
      break;
  }
  return spec;
}

function authorize(state: AppState, spec: RouteSpec): void {
  if (spec.access === 'public') return;
  const a = state.auth;
  if (!a) throw new AppError('UNAUTHENTICATED');
  if (!accessAllows(spec.access, a.kind === 'member' ? { kind: 'member' } : { kind: 'staff', role: a.role })) throw new AppError('FORBIDDEN');
}

/** The signed-in member's id (the route's access already required a member). */
export function memberIdOf(ctx: Ctx): number {
  const a = ctx.state.auth;
  if (!a || a.kind !== 'member') throw new AppError('FORBIDDEN');
  return a.memberId;
}

/** The signed-in staff account (role and store as the staff row says now). */
export function staffOf(ctx: Ctx): StaffAuth {
  const a = ctx.state.auth;
  if (!a || a.kind !== 'staff') throw new AppError('FORBIDDEN');
  return a;
}

/** A clerk with their store: the store always comes from the account, never from the request. */
export function clerkOf(ctx: Ctx): { staffId: number; storeId: number } {
  const a = staffOf(ctx);
  if (a.storeId === null) throw new AppError('FORBIDDEN');
  return { staffId: a.staffId, storeId: a.storeId };
}

/** The audit actor for a staff write. */
export function actorOf(ctx: Ctx): Actor {
  const a = staffOf(ctx);
  return { staffId: a.staffId, username: a.username, role: a.role, storeId: a.storeId, ip: ctx.ip, requestId: ctx.state.requestId };
}
