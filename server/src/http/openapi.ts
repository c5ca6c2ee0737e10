import { z } from 'zod';
import { API_ROUTES, ERRORS, ROLE_NAMES, type Access, type ErrorCode, type RouteSpec } from '@jifen/shared';
import { sampleOf } from './openapi-sample';
import { version as PACKAGE_VERSION } from '../../../package.json';

/**
 * The API reference as an OpenAPI 3.1 document, generated from the route table (shared/src/api): every
 * route with its roles (x-access), its schemas (zod 4's JSON Schema output: `io: 'input'` for what a
 * caller sends, `io: 'output'` for what the server answers), its error codes with their zh/en messages
 * and an example. Served at /api/v1/openapi.json and rendered at /api/docs; validated in the tests.
 */
export type OpenApiDocument = Record<string, any>;
type Json = Record<string, any>;

export const API_PREFIX = '/api/v1';
/** The release, from the root package.json (CHANGELOG.md names the same). */
export const API_VERSION: string = PACKAGE_VERSION;

let cached: OpenApiDocument | null = null;

/** The document for the routes in force, made once per process (the route table is fixed at build time). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApi(API_VERSION);
  return cached;
}

/** Whether a route documents what it takes and answers; the reference test fails on any problem listed. */
export function undocumented(r: RouteSpec): string[] {
  const problems: string[] = [];
  if ((r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH') && !r.body && !r.bodyType) problems.push('a body schema (or bodyType)');
  if (r.body && r.bodyType && r.bodyType !== 'json') problems.push('either body or a non-JSON bodyType, not both');
  if (!r.response && !r.produces && r.status !== 204) problems.push('a response schema (or produces for a file)');
  for (const name of pathParams(r.path)) if (!r.params?.[name]) problems.push(`a schema for path parameter :${name}`);
  return problems;
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/** The error codes a route may answer: the common ones its access and input imply, then its own. */
export function errorCodesOf(r: RouteSpec): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const hasInput = !!(r.params || r.query || r.body || (r.bodyType && r.bodyType !== 'none'));
  if (hasInput) codes.push('VALIDATION_FAILED');
  if (r.idempotencyKey === 'required') codes.push('IDEMPOTENCY_KEY_REQUIRED');
  if (r.access !== 'public') codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (Array.isArray(r.access)) codes.push('SESSION_REVOKED');
  if (r.access === 'member') codes.push('RATE_LIMITED'); // per member and per address (RateLimitService)
  for (const c of r.errors ?? []) codes.push(c);
  codes.push('INTERNAL');
  return [...new Set(codes)];
}

export function accessText(a: Access): string {
  if (a === 'public') return 'public: anyone, no token (公开)';
  if (a === 'member') return "member: a signed-in member, own data only (会员)";
  return `staff: ${a.map((r) => `${r} (${ROLE_NAMES[r]})`).join(', ')}`;
}

export function buildOpenApi(version: string, routes: readonly RouteSpec[] = API_ROUTES): OpenApiDocument {
  const components: Json = {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A token from POST /auth/wechat (members) or POST /auth/staff (staff), sent as `Authorization: Bearer <token>`.',
      },
    },
    schemas: { Error: errorSchema(Object.keys(ERRORS) as ErrorCode[]) },
  };
  const paths: Json = {};
  for (const r of routes) {
    const p = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[p] ??= {};
    paths[p][r.method.toLowerCase()] = operation(r, components);
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jifen API',
      version,
      summary: 'Member loyalty points: members, the till, the back office.',
      description: [
        'JSON over HTTP under `/api/v1`. Errors answer `{"error": {"code", "message", "messageEn"}}` with a stable code (listed per operation with its Chinese and English message).',
        'Who may call an operation is its `x-access`: `public`, `member` (their own data only) or a list of staff roles (clerk 店员, marketing 运营, service 客服, admin 管理员); a clerk acts only for their own store.',
        'Retryable writes carry an `Idempotency-Key` header where the operation says so: the same key with the same request replays the first answer, with a different request it is 409 IDEMPOTENCY_MISMATCH.',
        'Points are integers; money is integer fen (`amountFen`).',
      ].join('\n\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: API_PREFIX }],
    tags,
    paths,
    components,
    'x-error-codes': Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, { status: e.status, zh: e.zh, en: e.en }])),
  };
}

function operation(r: RouteSpec, components: Json): Json {
  const opId = operationId(r);
  const op: Json = {
    operationId: opId,
    tags: [r.tag],
    summary: r.summary,
    description: `Access: ${accessText(r.access)}.`,
    'x-access': r.access === 'public' || r.access === 'member' ? r.access : [...r.access],
    security: r.access === 'public' ? [] : [{ bearer: [] }],
  };
  const parameters: Json[] = [];
  for (const name of pathParams(r.path)) {
    const schema = r.params?.[name] ? jsonSchema(r.params[name]!, 'input', components, `${opId}_${name}`) : { type: 'string' };
    parameters.push({ name, in: 'path', required: true, schema, example: sampleOf(schema) });
  }
  if (r.query) {
    const q = jsonSchema(r.query, 'input', components, `${opId}_query`);
    const required = new Set<string>(q.required ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Json)) parameters.push({ name, in: 'query', required: required.has(name), schema });
  }
  if (r.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: r.idempotencyKey === 'required',
      description: 'Made once by the client per intended write and reused on every retry of it.',
      schema: { type: 'string', minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_:.-]+$' },
      example: 'a1b2c3d4-0001',
    });
  }
  if (parameters.length) op.parameters = parameters;

  if (r.body) {
    const schema = jsonSchema(r.body, 'input', components, `${opId}_body`);
    op.requestBody = { required: true, content: { 'application/json': { schema, example: r.example?.request ?? sampleOf(schema) } } };
  } else if (r.bodyType && r.bodyType !== 'none' && r.bodyType !== 'json') {
    const media = { multipart: 'multipart/form-data', csv: 'text/csv', image: 'image/*' }[r.bodyType];
    const schema = r.bodyType === 'multipart' ? { type: 'object' } : { type: 'string', ...(r.bodyType === 'image' ? { contentMediaType: 'image/*' } : {}) };
    op.requestBody = { required: true, content: { [media]: { schema, ...(r.example?.request !== undefined ? { example: r.example.request } : {}) } } };
  }

  const status = String(r.status ?? 200);
  const ok: Json = { description: status === '201' ? 'Created' : status === '204' ? 'No content' : 'OK' };
  if (r.response) {
    const schema = jsonSchema(r.response, 'output', components, `${opId}_response`);
    ok.content = { 'application/json': { schema, example: r.example?.response ?? sampleOf(schema) } };
  } else if (r.produces) {
    ok.content = { [r.produces]: { schema: { type: 'string', contentMediaType: r.produces } } };
  }
  const responses: Json = { [status]: ok };
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(r)) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  for (const [st, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(st)] = {
      description: codes.map((c) => `${c}: ${ERRORS[c].zh} / ${ERRORS[c].en}`).join('; '),
      ...(st === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } } } : {}),
      content: {
        'application/json': {
          schema: codes.length === Object.keys(ERRORS).length ? { $ref: '#/components/schemas/Error' } : errorSchema(codes),
          examples: Object.fromEntries(
            codes.map((c) => [c, { summary: ERRORS[c].en, value: { error: { code: c, message: ERRORS[c].zh, messageEn: ERRORS[c].en } } }]),
          ),
        },
      },
    };
  }
  op.responses = responses;
  op['x-error-codes'] = errorCodesOf(r);
  return op;
}

function errorSchema(codes: ErrorCode[]): Json {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'messageEn'],
        properties: {
          code: { type: 'string', enum: codes },
          message: { type: 'string', description: 'For people, in Chinese.' },
          messageEn: { type: 'string', description: 'For people, in English.' },
          details: { description: 'What failed, e.g. the fields of a VALIDATION_FAILED.' },
        },
      },
    },
  };
}

function operationId(r: RouteSpec): string {
  const words = r.path
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `by-${seg.slice(1)}` : seg.replace(/\.json$/, '')))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [r.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('') || r.method.toLowerCase();
}

/**
 * zod 4's JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of one schema; `$defs` that zod makes for
 * recursive parts move to components.schemas so every `$ref` resolves inside the document.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Json, prefix: string): Json {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Json;
  delete json.$defs;
  const rename = (name: string) => `${prefix}_${name}`.replace(/[^A-Za-z0-9._-]/g, '_');
  // Also drops the ±2^53-1 bounds zod gives every .int(): true of any JSON number, noise in a reference.
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${rename(v.slice('#/$defs/'.length))}` : rewrite(v);
    }
    return out;
  };
  for (const [name, def] of Object.entries(defs)) components.schemas[rename(name)] = rewrite(def);
  return rewrite(json) as Json;
}
