import type Router from '@koa/router';
import { API_ROUTES, ERRORS, routeKey } from '@jifen/shared';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';
import { API_PREFIX, buildOpenApi, errorCodesOf, openApiDocument, undocumented } from '../../server/src/http/openapi';
import { startTestApp, type TestApp } from './helpers';

/**
 * The API reference (issue 12): an OpenAPI 3.1 document generated from the route table, valid by a real
 * OpenAPI validator, served at /api/v1/openapi.json and rendered at /api/docs; a route without a documented
 * schema fails here.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate, compileErrors } = require('@readme/openapi-parser') as typeof import('@readme/openapi-parser');

describe('API reference', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  test('every route documents what it takes and answers', () => {
    // A POST/PUT/PATCH has a body schema or a bodyType ('none' for an action without one); every route has
    // a response schema unless it answers a file (produces) or 204; every path parameter has a schema.
    const missing = API_ROUTES.map((r) => [routeKey(r), undocumented(r)] as const).filter(([, p]) => p.length > 0);
    expect(missing).toEqual([]);
  });

  test('every route the real app serves is in the documented table, and every documented route is served', () => {
    // mount() refuses a route missing from the table at boot; this also catches a handler registered on a
    // router directly (r.get(...)), which would bypass the table, its role check and the reference.
    const app = createApp(t.services, createLogger('silent'));
    const routers = app.middleware.map((m) => (m as { router?: Router }).router).filter((r): r is Router => !!r);
    expect(routers.length).toBeGreaterThan(0);
    const served = new Set<string>();
    for (const router of routers) {
      for (const layer of router.stack) {
        const p = String(layer.path);
        if (!p.startsWith(API_PREFIX)) throw new Error(`a route outside ${API_PREFIX}: ${p}`);
        for (const m of layer.methods.filter((x) => x !== 'HEAD')) served.add(`${m} ${p.slice(API_PREFIX.length) || '/'}`);
      }
    }
    const documented = new Set(API_ROUTES.map(routeKey));
    expect([...served].filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !served.has(k))).toEqual([]);
  });

  test('the rule catches a route without schemas', () => {
    expect(undocumented({ method: 'POST', path: '/x/:id', access: 'member', tag: 't', summary: 's' })).toEqual([
      'a body schema (or bodyType)',
      'a response schema (or produces for a file)',
      'a schema for path parameter :id',
    ]);
  });

  test('the generated document is valid OpenAPI 3.1 (and the validator does reject a broken one)', async () => {
    const doc = buildOpenApi('0.0.0-test');
    expect(doc.openapi).toBe('3.1.0');
    const res = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    if (!res.valid) throw new Error(compileErrors(res));
    expect(res.valid).toBe(true);
    const broken = structuredClone(doc);
    delete broken.paths['/me'].get.responses;
    broken.paths['/me'].get.parameters = [{ name: 'x', in: 'nowhere' }];
    expect((await validate(broken as Parameters<typeof validate>[0])).valid).toBe(false);
  });

  test('every operation has its roles, its error codes with zh/en messages and an example', () => {
    const doc = openApiDocument();
    let operations = 0;
    for (const r of API_ROUTES) {
      const op = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect({ route: routeKey(r), found: !!op }).toEqual({ route: routeKey(r), found: true });
      operations++;
      expect(op['x-access']).toEqual(r.access);
      expect(op.security).toEqual(r.access === 'public' ? [] : [{ bearer: [] }]);
      const codes = errorCodesOf(r);
      if (r.access !== 'public') expect(codes).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'FORBIDDEN']));
      if (r.params || r.query || r.body) expect(codes).toContain('VALIDATION_FAILED');
      for (const c of r.errors ?? []) expect(codes).toContain(c);
      for (const c of codes) {
        const example = op.responses[String(ERRORS[c].status)]?.content['application/json'].examples[c];
        expect({ route: routeKey(r), code: c, value: example?.value }).toEqual({
          route: routeKey(r),
          code: c,
          value: { error: { code: c, message: ERRORS[c].zh, messageEn: ERRORS[c].en } },
        });
      }
      const ok = op.responses[String(r.status ?? 200)];
      if (r.response) expect({ route: routeKey(r), example: ok.content['application/json'].example !== undefined }).toEqual({ route: routeKey(r), example: true });
      if (r.body) expect({ route: routeKey(r), example: op.requestBody.content['application/json'].example !== undefined }).toEqual({ route: routeKey(r), example: true });
      if (r.example?.request !== undefined && r.body) expect(op.requestBody.content['application/json'].example).toEqual(r.example.request);
    }
    expect(operations).toBe(API_ROUTES.length);
  });

  test('request examples (hand-written or generated) pass the route schemas they illustrate', () => {
    // An example that the server would refuse misleads.
    const doc = openApiDocument();
    for (const r of API_ROUTES) {
      if (!r.body) continue;
      const example = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][r.method.toLowerCase()].requestBody.content['application/json'].example;
      const parsed = r.body.safeParse(example);
      expect({ route: routeKey(r), example, ok: parsed.success }).toEqual({ route: routeKey(r), example, ok: true });
    }
  });

  test('GET /api/v1 answers the version and links; the document and the docs page are public', async () => {
    const index = await t.request('GET', '/api/v1');
    expect(index.status).toBe(200);
    expect(index.body).toEqual({
      name: 'jifen',
      version: require('../../package.json').version,
      links: { health: '/api/v1/health', openapi: '/api/v1/openapi.json', docs: '/api/docs', rules: '/api/v1/rules' },
    });
    const spec = await t.request('GET', '/api/v1/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.info.version).toBe(index.body.version);
    expect(Object.keys(spec.body.paths)).toContain('/till/purchases/{orderNo}/refunds');
    for (const link of Object.values(index.body.links) as string[]) expect((await t.request('GET', link)).status).toBe(200);

    const page = await fetch(`${t.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('接口文档');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/); // nothing fetched from elsewhere
    for (const r of API_ROUTES) expect(html).toContain(`<code>${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}</code>`);
    expect(html).toContain(ERRORS.INSUFFICIENT_POINTS.zh);
  });
});
