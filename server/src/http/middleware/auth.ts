import type { Middleware } from 'koa';
import { AppError } from '../../errors';
import type { TokenService } from '../../services/tokens.service';
import type { AppState, Auth } from '../state';

/** Reads a Bearer token when present; routes then demand the kind and role they need. */
export function authenticate(tokens: TokenService): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const m = /^Bearer ([A-Za-z0-9_.-]{10,2000})$/.exec(header);
      const auth = m ? await tokens.verify(m[1]!) : null;
      if (!auth) throw new AppError('UNAUTHENTICATED');
      ctx.state.auth = auth;
    }
    await next();
  };
}

export function requireMember(state: AppState): Extract<Auth, { kind: 'member' }> {
  const a = state.auth;
  if (!a) throw new AppError('UNAUTHENTICATED');
  if (a.kind !== 'member') throw new AppError('FORBIDDEN');
  return a;
}

export function requireStaff(state: AppState, ...roles: ('clerk' | 'marketing' | 'admin')[]): Extract<Auth, { kind: 'staff' }> {
  const a = state.auth;
  if (!a) throw new AppError('UNAUTHENTICATED');
  if (a.kind !== 'staff' || !roles.includes(a.role)) throw new AppError('FORBIDDEN');
  return a;
}
