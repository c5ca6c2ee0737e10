import type { Middleware } from 'koa';
import { ERRORS } from '@jifen/shared';
import { AppError } from '../../errors';
import type { AppState } from '../state';

/** First middleware: expected errors become {error:{code,message,messageEn}}; the rest a bare 500 and a log. */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) throw new AppError('NOT_FOUND');
    } catch (e) {
      let err: AppError;
      if (e instanceof AppError) err = e;
      else if (isClientHttpError(e)) err = new AppError('VALIDATION_FAILED', [{ path: '', message: 'body is not valid JSON or too large' }]);
      else {
        ctx.state.log.error({ err: e }, 'unhandled error');
        err = new AppError('INTERNAL');
      }
      const def = ERRORS[err.code];
      ctx.status = err.status;
      if (err.code === 'RATE_LIMITED' && typeof err.details === 'object' && err.details && 'retryAfterSeconds' in err.details) {
        ctx.set('Retry-After', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      ctx.body = { error: { code: err.code, message: def.zh, messageEn: def.en, ...(err.details !== undefined ? { details: err.details } : {}) } };
    }
  };
}

function isClientHttpError(e: unknown): boolean {
  const status = (e as { status?: number; expose?: boolean }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
