import type { Middleware } from 'koa';
import type { RateLimitService } from '../../services/rate-limit.service';
import type { AppState } from '../state';

/** Every request a member's token makes counts against that member and the address (429 past the limit). */
export function memberRateLimit(limits: RateLimitService): Middleware<AppState> {
  return async (ctx, next) => {
    const auth = ctx.state.auth;
    if (auth?.kind === 'member') limits.memberRequest(auth.memberId, ctx.ip);
    await next();
  };
}
