import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const DEBUG_LEVELS = new Set(['debug', 'trace']);

/**
 * pino, JSON lines on stdout. Errors are serialized without SQL parameters (and without the driver's copy of
 * the SQL with the values filled in) unless the level is debug or trace: parameters carry phone numbers,
 * openids and password hashes, which do not belong in everyday logs (issue 8 item 7).
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const withParameters = DEBUG_LEVELS.has(level);
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, serializers: { err: errSerializer(withParameters) } };
  return destination ? pino(options, destination) : pino(options);
}

function errSerializer(withParameters: boolean) {
  return (e: unknown) => {
    if (!(e instanceof Error)) return e;
    const out = pino.stdSerializers.err(e) as unknown as Record<string, unknown>;
    const driver = (e as { driverError?: { code?: unknown; errno?: unknown; sqlState?: unknown; message?: unknown; sql?: unknown } }).driverError;
    if (driver && typeof driver === 'object') {
      out.driverError = { code: driver.code, errno: driver.errno, sqlState: driver.sqlState, message: driver.message, ...(withParameters ? { sql: driver.sql } : {}) };
    }
    if (!withParameters) {
      delete out.parameters;
      delete out.sql;
    }
    return out;
  };
}
