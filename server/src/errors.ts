import { ERRORS, type ErrorCode } from '@jifen/shared';

/** An expected failure with a stable code (DESIGN §7). Anything else becomes a bare 500 and a log line. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    message?: string,
  ) {
    super(message ?? ERRORS[code].en);
    this.status = ERRORS[code].status;
  }
}

/** Throws when an invariant the code relies on does not hold: these are bugs, never user errors. */
export function invariant(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${what}`);
}
