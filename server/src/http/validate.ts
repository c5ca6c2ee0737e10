import type { z } from 'zod';
import { AppError } from '../errors';

/** Parses input with a shared schema; a failure is 400 VALIDATION_FAILED naming the fields (never echoing values). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
