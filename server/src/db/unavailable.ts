/**
 * True when a driver error means the database cannot answer now (down, unreachable, out of connections,
 * pool queue full, SQLite file locked past the busy timeout), as opposed to a bug or bad SQL: the request
 * may be retried shortly and is answered 503 SERVICE_UNAVAILABLE with Retry-After, not 500.
 */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR', // 1040 too many connections
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_LOCKED',
]);
// 2002/2003 cannot connect, 2006 gone away, 2013 lost during query, 1040 too many connections, 1053 shutdown.
const ERRNOS = new Set([1040, 1053, 2002, 2003, 2006, 2013]);
const MESSAGES = [/Pool is closed/i, /Queue limit reached/i, /Connection lost/i, /closed state/i, /database is locked/i, /connection is not (open|established)/i];

export function isDatabaseUnavailable(e: unknown): boolean {
  for (let err = e as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 4; depth++) {
    if (typeof err.code === 'string' && CODES.has(err.code)) return true;
    if (typeof err.errno === 'number' && ERRNOS.has(err.errno)) return true;
    if (typeof err.message === 'string' && MESSAGES.some((re) => re.test(err!.message as string))) return true;
    err = (err.driverError ?? err.cause) as typeof err;
  }
  return false;
}

/** Seconds a client should wait before retrying a request the database could not serve. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
