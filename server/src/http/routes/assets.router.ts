import Router from '@koa/router';
import { idParamSchema } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { parse } from '../validate';

/** The generated tile of a reward without images (the service draws it), so the shelf never shows a hole. */
export function assetsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  mount(r, 'GET', '/assets/rewards/:file', async (ctx) => {
    const id = parse(idParamSchema, String(ctx.params.file).replace(/\.svg$/, ''));
    const svg = await s.rewards.tile(id);
    if (svg === null) return;
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = svg;
  });
  return r;
}
