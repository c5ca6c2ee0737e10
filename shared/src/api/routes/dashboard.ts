import { dashboardResponse } from '../../schemas/dashboard';
import type { RouteSpec } from '../contract';

/** The back office's landing page: cards computed independently on the server, each role seeing its own. */
export const DASHBOARD_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/admin/dashboard', access: ['admin', 'marketing'], tag: 'admin: dashboard', summary: 'Cards with counts that need an eye (the admin\'s, or marketing\'s: rewards retired below cost, due for a refresh, low stock, ending), each linking to its page.', response: dashboardResponse },
];
