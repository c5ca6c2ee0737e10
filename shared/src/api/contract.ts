import type { z } from 'zod';
import type { ErrorCode } from '../errors';
import type { StaffRole } from './roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, a signed-in member (their own data only), or staff in one of the roles. */
export type Access = 'public' | 'member' | readonly StaffRole[];

/**
 * One route of the API under /api/v1: the single source for who may call it (the role matrix), how the
 * server checks it, and what the API reference (OpenAPI) says about it. A route the server mounts without
 * an entry here fails at boot; an entry without a mounted route fails the route-table test.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** Path under /api/v1 in @koa/router syntax, e.g. `/admin/rewards/:id`. */
  path: string;
  access: Access;
  /** Group in the API reference (e.g. 'member', 'till', 'admin: rewards'). */
  tag: string;
  summary: string;
  /** Path parameters by name (strings on the wire). */
  params?: Record<string, z.ZodType>;
  query?: z.ZodType;
  /**
   * The JSON body. A POST, PUT or PATCH has `body` or says what it takes with bodyType ('none' for an action
   * without a body; other bodies are described in the summary). The API-reference test enforces this.
   */
  body?: z.ZodType;
  bodyType?: 'json' | 'multipart' | 'csv' | 'image' | 'none';
  /** The JSON success body; required unless the route answers a file (`produces`) or 204. */
  response?: z.ZodType;
  /** Media type of a success body that is a file rather than JSON (e.g. 'image/svg+xml'). */
  produces?: string;
  /** Success status; 200 unless said. */
  status?: number;
  /** Error codes beyond the ones every route of its access may answer (400, 401, 403, 429). */
  errors?: readonly ErrorCode[];
  idempotencyKey?: 'required' | 'optional';
  /**
   * 'agreement': a member route that earns or spends; refused with 409 AGREEMENT_REQUIRED until the member
   * accepted the current agreement (set from AGREEMENT_GATED_ROUTES in ./routes/agreement.ts).
   */
  gate?: 'agreement';
  example?: { request?: unknown; response?: unknown };
}

export function routeKey(r: { method: HttpMethod; path: string }): string {
  return `${r.method} ${r.path}`;
}

/** Whether a caller may use a route by its access alone (a clerk's store and a member's ownership are checked by the service). */
export function accessAllows(access: Access, caller: { kind: 'member' } | { kind: 'staff'; role: StaffRole } | null): boolean {
  if (access === 'public') return true;
  if (caller === null) return false;
  if (access === 'member') return caller.kind === 'member';
  return caller.kind === 'staff' && access.includes(caller.role);
}
