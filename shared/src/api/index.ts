import type { RouteSpec } from './contract';
import { routeKey } from './contract';
import { PUBLIC_ROUTES } from './routes/public';
import { MEMBER_ROUTES } from './routes/member';
import { TILL_ROUTES } from './routes/till';
import { ADMIN_ROUTES } from './routes/admin';
import { STAFF_ADMIN_ROUTES } from './routes/staff-admin';
import { AUDIT_ROUTES } from './routes/audit';
import { DASHBOARD_ROUTES } from './routes/dashboard';
import { BACKOFFICE_MEMBER_ROUTES } from './routes/backoffice-members';
import { ECONOMICS_ROUTES } from './routes/economics';
import { SURVEY_ROUTES } from './routes/surveys';
import { REWARDS_ADMIN_ROUTES } from './routes/rewards-admin';
import { AGREEMENT_GATED_ROUTES, AGREEMENT_ROUTES } from './routes/agreement';
import { DISPUTE_ROUTES } from './routes/disputes';
import { GIVEBACK_ROUTES } from './routes/giveback';
import { NOTICE_ROUTES } from './routes/notices';

export * from './roles';
export * from './contract';
export { AGREEMENT_GATED_ROUTES, AGREEMENT_FREE_WRITES } from './routes/agreement';

/**
 * Every route of the API (under /api/v1): the one role matrix and the source of the API reference.
 * Each capability keeps its table in ./routes/<area>.ts; add the table here.
 */
export const API_ROUTES: readonly RouteSpec[] = withAgreementGate([
  ...PUBLIC_ROUTES,
  ...MEMBER_ROUTES,
  ...TILL_ROUTES,
  ...ADMIN_ROUTES,
  ...STAFF_ADMIN_ROUTES,
  ...AUDIT_ROUTES,
  ...DASHBOARD_ROUTES,
  ...BACKOFFICE_MEMBER_ROUTES,
  ...ECONOMICS_ROUTES,
  ...SURVEY_ROUTES,
  ...REWARDS_ADMIN_ROUTES,
  ...AGREEMENT_ROUTES,
  ...DISPUTE_ROUTES,
  ...GIVEBACK_ROUTES,
  ...NOTICE_ROUTES,
]);

/** Marks the routes that earn or spend (issue 11 item 1): the server refuses them before acceptance. */
function withAgreementGate(routes: RouteSpec[]): RouteSpec[] {
  const gated = new Set(AGREEMENT_GATED_ROUTES);
  return routes.map((r) => (gated.has(routeKey(r)) ? { ...r, gate: 'agreement' as const, errors: [...(r.errors ?? []), 'AGREEMENT_REQUIRED' as const] } : r));
}

const BY_KEY = new Map(API_ROUTES.map((r) => [routeKey(r), r]));

export function findRoute(method: string, path: string): RouteSpec | undefined {
  return BY_KEY.get(`${method.toUpperCase()} ${path}`);
}

/** Whether a staff role may call a route (the staff navigation shows a page only when this holds for what it loads). */
export function roleMay(role: import('./roles').StaffRole, method: string, path: string): boolean {
  const r = findRoute(method, path);
  return !!r && Array.isArray(r.access) && (r.access as readonly string[]).includes(role);
}
