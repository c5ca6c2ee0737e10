import { auditListResponse, dashboardResponse, type AuditEntryDto, type DashboardCardDto } from '@jifen/shared'
import { request } from './request'

export type { AuditEntryDto, DashboardCardDto }

export interface AuditFilter {
  actor?: string
  target?: string
  action?: string
  /** Local days 'YYYY-MM-DD' (both inclusive) or ISO instants. */
  from?: string
  to?: string
}

/** GET /admin/audit: one page, newest first; pass the previous page's nextCursor for the next. */
export function listAudit(filter: AuditFilter, cursor?: string | null, limit = 50) {
  return request({ path: '/admin/audit', query: { ...filter, cursor: cursor ?? undefined, limit }, auth: 'staff', schema: auditListResponse })
}

/** GET /admin/dashboard: the admin's cards. */
export function getDashboard() {
  return request({ path: '/admin/dashboard', auth: 'staff', schema: dashboardResponse })
}
