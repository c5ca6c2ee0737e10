import type { Middleware } from 'koa';
import { AppError } from '../../errors';
import type { TokenService } from '../../services/tokens.service';
import type { StaffService } from '../../services/staff.service';
import type { AppState } from '../state';

/**
 * Reads a Bearer token when present; each route's access (shared/src/api) then decides. A staff token is
 * checked against the staff row on every request: a disabled account, or one whose role, store or password
 * changed since the token was issued, is refused at once (401), on every instance.
 */
export function authenticate(tokens: TokenService, staff: StaffService): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const m = /^Bearer ([A-Za-z0-9_.-]{10,2000})$/.exec(header);
      const claim = m ? await tokens.verify(m[1]!) : null;
      if (!claim) throw new AppError('UNAUTHENTICATED');
      const auth = claim.kind === 'staff' ? await staff.session(claim) : claim;
      if (!auth) throw new AppError('SESSION_REVOKED');
      ctx.state.auth = auth;
    }
    await next();
  };
}
