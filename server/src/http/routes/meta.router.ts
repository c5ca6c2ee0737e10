import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';

/** Public: health probe and the rule config, so the client computes previews with the server's numbers. */
export function metaRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  mount(r, 'GET', '/health', async (ctx) => {
    await s.ds.query('SELECT 1');
    ctx.body = { ok: true, db: s.tx.kind, wechatMode: s.config.wechat.mode };
  });
  mount(r, 'GET', '/rules', (ctx) => {
    ctx.body = { rules: s.rules };
  });
  return r;
}
