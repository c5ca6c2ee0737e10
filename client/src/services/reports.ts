import { healthReportResponse, type HealthReportResponse } from '@jifen/shared'
import { request } from './request'

export type { HealthReportResponse }

/** GET /admin/reports/health?from&to: local dates (Asia/Shanghai), both inclusive; the server defaults to the last 30 days. */
export function getHealthReport(range: { from?: string; to?: string }): Promise<HealthReportResponse> {
  return request({ path: '/admin/reports/health', query: range, auth: 'staff', schema: healthReportResponse })
}
