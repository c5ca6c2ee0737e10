import { dashboardResponse } from '../../schemas/dashboard';
import type { RouteSpec } from '../contract';

/** The admin's landing page: cards computed independently on the server. */
export const DASHBOARD_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/admin/dashboard', access: ['admin'], tag: 'admin: dashboard', summary: 'Cards with counts that need an admin\'s eye, each linking to its page.', response: dashboardResponse },
];
