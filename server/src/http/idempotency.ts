import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { idempotencyKeySchema } from '@jifen/shared';
import { AppError } from '../errors';
import type { IdemRequest } from '../services/idempotency.service';

export type { IdemRequest };


/** Canonical JSON (sorted keys) so the same request always fingerprints the same. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(stableStringify(parts)).digest('hex');
}

/** The Idempotency-Key header (required) with a fingerprint of method, path and parsed body. */
export function idempotencyFrom(ctx: Context, scope: string, body: unknown): IdemRequest {
  const raw = ctx.get('Idempotency-Key');
  if (!raw) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', [{ path: 'Idempotency-Key', message: 'must be 8-100 of [A-Za-z0-9_:.-]' }]);
  return { scope, key: parsed.data, hash: fingerprint({ method: ctx.method, path: ctx.path, body }) };
}
