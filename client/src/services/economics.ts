import {
  financeResponse,
  guardResponse,
  memberValueChangesResponse,
  planResponse,
  pointsHealthResponse,
  rulesVersionListResponse,
  simulationResponse,
  valueChangeDto,
  valueChangeListResponse,
  type FinanceResponse,
  type GuardResponse,
  type MemberValueChangesResponse,
  type PlanRequest,
  type PlanResponse,
  type PointsHealthResponse,
  type SimulationResponse,
  type ValueChangeDto,
  type ValueChangeRequest,
} from '@jifen/shared'
import { request } from './request'

export type { FinanceResponse, GuardResponse, MemberValueChangesResponse, PlanRequest, PlanResponse, PointsHealthResponse, SimulationResponse, ValueChangeDto, ValueChangeRequest }

/** GET /me/value-changes: upcoming rule changes (规则变更预告) with what they mean for this member, and the history. */
export function getMyValueChanges(): Promise<MemberValueChangesResponse> {
  return request({ path: '/me/value-changes', auth: 'member', schema: memberValueChangesResponse })
}

/** GET /reports/points-health?quarter=2026Q4: the public report, no sign-in. */
export function getPointsHealth(quarter?: string): Promise<PointsHealthResponse> {
  return request({ path: '/reports/points-health', query: { quarter }, auth: 'none', schema: pointsHealthResponse })
}

export function getPlan(year?: number): Promise<PlanResponse> {
  return request({ path: '/admin/economics/plan', query: { year }, auth: 'staff', schema: planResponse })
}

export function savePlan(year: number, body: PlanRequest): Promise<PlanResponse> {
  return request({ method: 'PUT', path: `/admin/economics/plan/${year}`, body, auth: 'staff', schema: planResponse })
}

export function getGuard(): Promise<GuardResponse> {
  return request({ path: '/admin/economics/guard', auth: 'staff', schema: guardResponse })
}

export async function getRuleVersions() {
  return request({ path: '/admin/economics/versions', auth: 'staff', schema: rulesVersionListResponse })
}

export function getFinance(): Promise<FinanceResponse> {
  return request({ path: '/admin/reports/finance', auth: 'staff', schema: financeResponse })
}

export function getFinanceCsv(): Promise<string> {
  return request<string>({ path: '/admin/reports/finance.csv', auth: 'staff', dataType: 'text' })
}

export function simulateValueChange(body: ValueChangeRequest): Promise<SimulationResponse> {
  return request({ method: 'POST', path: '/admin/value-changes/simulate', body, auth: 'staff', schema: simulationResponse })
}

export function publishValueChange(body: ValueChangeRequest): Promise<ValueChangeDto> {
  return request({ method: 'POST', path: '/admin/value-changes', body, auth: 'staff', schema: valueChangeDto })
}

export function listValueChanges() {
  return request({ path: '/admin/value-changes', auth: 'staff', schema: valueChangeListResponse })
}
