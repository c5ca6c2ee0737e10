import type { Middleware } from 'koa';
import { ERRORS } from '@jifen/shared';
import { AppError } from '../../errors';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../db/unavailable';
import type { AppState } from '../state';

/**
 * First middleware: expected errors become {error:{code,message,messageEn}}; a database that cannot answer
 * (down, pool exhausted, SQLite locked) 503 SERVICE_UNAVAILABLE with Retry-After; a client that went away
 * mid-request (an aborted upload) one warn line; the rest a bare 500 and a log.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) throw new AppError('NOT_FOUND');
    } catch (e) {
      if (isClientGone(ctx.req, e)) {
        ctx.state.clientGone = true; // nobody to answer; app.on('error') stays quiet about it (app.ts)
        ctx.state.log.warn({ event: 'request_aborted', method: ctx.method, path: ctx.path, contentLength: ctx.get('content-length') || null }, 'client aborted the request');
        return;
      }
      let err: AppError;
      if (e instanceof AppError) err = e;
      else if (isClientHttpError(e)) err = new AppError('VALIDATION_FAILED', [{ path: '', message: 'body is not valid JSON or too large' }]);
      else if (isDatabaseUnavailable(e)) {
        ctx.state.log.warn({ err: e, method: ctx.method, path: ctx.path }, 'database unavailable');
        err = new AppError('SERVICE_UNAVAILABLE', { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
      } else {
        ctx.state.log.error({ err: e }, 'unhandled error');
        err = new AppError('INTERNAL');
      }
      const def = ERRORS[err.code];
      ctx.status = err.status;
      if (typeof err.details === 'object' && err.details && 'retryAfterSeconds' in err.details) {
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

/** The client closed the connection before its request was read (an aborted upload). */
export function isClientGone(req: { aborted?: boolean; destroyed?: boolean; socket?: { destroyed?: boolean } | null }, e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  const message = (e as { message?: string } | null)?.message ?? '';
  // Only when this request's own connection is gone: an ECONNRESET from the database is not the client's.
  const gone = req.aborted === true || req.socket?.destroyed === true;
  return gone && (code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'aborted' || message === 'request aborted');
}
