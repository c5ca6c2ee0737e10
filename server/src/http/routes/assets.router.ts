import Router from '@koa/router';
import { idParamSchema } from '@jifen/shared';
import type { Services } from '../../services';
import type { AppState } from '../state';
import { mount } from '../route';
import { parse } from '../validate';

const PALETTE = ['#E8541E', '#F29D38', '#3A8F6B', '#3566C8', '#8E4FC2', '#C8355E'];

/** A generated SVG tile per reward, so a reward without an image still shows something without any network. */
export function assetsRouter(s: Services): Router<AppState> {
  const r = new Router<AppState>();
  mount(r, 'GET', '/assets/rewards/:file', async (ctx) => {
    const id = parse(idParamSchema, String(ctx.params.file).replace(/\.svg$/, ''));
    const title = await s.rewards.titleOf(id);
    if (title === null) return;
    const color = PALETTE[id % PALETTE.length]!;
    const glyph = title.slice(0, 2).replace(/[<>&"']/g, '');
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"><rect width="240" height="240" rx="24" fill="${color}"/><circle cx="190" cy="50" r="80" fill="#fff" opacity="0.12"/><text x="120" y="140" font-size="64" text-anchor="middle" fill="#fff" font-family="sans-serif">${glyph}</text></svg>`;
  });
  return r;
}
