import { auditListResponse, auditQuery } from '../../schemas/audit';
import type { RouteSpec } from '../contract';

/** The audit trail, read only: no route edits or deletes it (issue 9 item 7). */
export const AUDIT_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/audit',
    access: ['admin'],
    tag: 'admin: audit',
    summary: 'Audit entries newest first, filtered by actor (username), target (type or type:id), action and time (from/to: local day or ISO instant); page with cursor.',
    query: auditQuery,
    response: auditListResponse,
  },
];
