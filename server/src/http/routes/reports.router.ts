import Router from '@koa/router';
import type { Services } from '../../services';
import type { AppState } from '../state';

export function reportsRouter(_s: Services): Router<AppState> {
  const r = new Router<AppState>();
  return r;
}
