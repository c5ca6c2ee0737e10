import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { API_PREFIX, API_VERSION, openApiDocument } from '../openapi';

/**
 * Public: the API index, its OpenAPI document, the health probe and the rule config (so the client computes
 * previews with the server's numbers).
 */
export function metaRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  mount(r, 'GET', '/', (ctx) => {
    ctx.body = {
      name: 'jifen',
      version: API_VERSION,
      links: { health: `${API_PREFIX}/health`, openapi: `${API_PREFIX}/openapi.json`, docs: '/api/docs', rules: `${API_PREFIX}/rules` },
    };
  });
  mount(r, 'GET', '/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = openApiDocument();
  });
  mount(r, 'GET', '/health', async (ctx) => {
    await s.ds.query('SELECT 1');
    ctx.body = { ok: true, db: s.tx.kind, wechatMode: s.config.wechat.mode };
  });
  mount(r, 'GET', '/rules', async (ctx) => {
    await s.rulesVersions.sync();
    ctx.body = { rules: s.rules, version: s.rulesVersions.state.versionId };
  });
  return r;
}
