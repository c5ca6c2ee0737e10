import {
  adjustmentListResponse,
  adjustmentResponse,
  adminLedgerPageResponse,
  importCommitResponse,
  importPreviewResponse,
  importSchema,
  memberDetailResponse,
  memberSearchResponse,
  type AdjustmentDto,
  type AdjustmentListResponse,
  type AdjustmentRequest,
  type AdjustmentResponse,
  type AdjustmentStatus,
  type AdminLedgerEntryDto,
  type AdminLedgerPageResponse,
  type ImportCommitResponse,
  type ImportDto,
  type ImportPreviewResponse,
  type MemberDetailResponse,
  type MemberSearchResponse,
  type MemberSummaryDto,
} from '@jifen/shared'
import { request } from './request'

export type {
  AdjustmentDto,
  AdjustmentRequest,
  AdjustmentResponse,
  AdjustmentStatus,
  AdminLedgerEntryDto,
  ImportCommitResponse,
  ImportDto,
  ImportPreviewResponse,
  MemberDetailResponse,
  MemberSummaryDto,
}

/** GET /admin/members?q: by phone, member number, openid (exact) or nickname (prefix); newest first without q. */
export function searchMembers(q: string, cursor: number | null, limit = 20): Promise<MemberSearchResponse> {
  return request({ path: '/admin/members', query: { q: q.trim(), cursor, limit }, auth: 'staff', schema: memberSearchResponse })
}

/** GET /admin/members/:id: account, tier, lots, newest ledger page, redemptions, notices, adjustments. */
export function getMemberDetail(id: number): Promise<MemberDetailResponse> {
  return request({ path: `/admin/members/${id}`, auth: 'staff', schema: memberDetailResponse })
}

export function getMemberLedger(id: number, cursor: number | null, limit = 20): Promise<AdminLedgerPageResponse> {
  return request({ path: `/admin/members/${id}/ledger`, query: { cursor, limit }, auth: 'staff', schema: adminLedgerPageResponse })
}

/** POST /admin/members/:id/adjustments with the action's Idempotency-Key: 201 applied, 202 waiting for an admin. */
export function adjustPoints(memberId: number, body: AdjustmentRequest, idempotencyKey: string): Promise<AdjustmentResponse> {
  return request({ method: 'POST', path: `/admin/members/${memberId}/adjustments`, body, idempotencyKey, auth: 'staff', schema: adjustmentResponse })
}

export function listAdjustments(status: AdjustmentStatus | null, cursor: number | null = null): Promise<AdjustmentListResponse> {
  return request({ path: '/admin/adjustments', query: { status, cursor }, auth: 'staff', schema: adjustmentListResponse })
}

export function approveAdjustment(id: number, note?: string): Promise<AdjustmentResponse> {
  return request({ method: 'POST', path: `/admin/adjustments/${id}/approve`, body: note ? { note } : {}, auth: 'staff', schema: adjustmentResponse })
}

export function rejectAdjustment(id: number, note?: string): Promise<AdjustmentResponse> {
  return request({ method: 'POST', path: `/admin/adjustments/${id}/reject`, body: note ? { note } : {}, auth: 'staff', schema: adjustmentResponse })
}

/** POST /admin/adjustments/imports: the file's bytes as text/csv (the server reads UTF-8 with or without BOM, or GB18030). */
export function uploadImport(file: ArrayBuffer | string, name: string): Promise<ImportPreviewResponse> {
  return request({
    method: 'POST',
    path: '/admin/adjustments/imports',
    query: { name: name.slice(0, 100) },
    body: file,
    contentType: 'text/csv',
    auth: 'staff',
    schema: importPreviewResponse,
    timeoutMs: 60_000,
  })
}

export function getImport(id: number): Promise<ImportDto> {
  return request({ path: `/admin/adjustments/imports/${id}`, auth: 'staff', schema: importSchema })
}

/** POST …/commit: applies the import exactly once; may run for a while (the page polls getImport meanwhile). */
export function commitImport(id: number): Promise<ImportCommitResponse> {
  return request({ method: 'POST', path: `/admin/adjustments/imports/${id}/commit`, auth: 'staff', schema: importCommitResponse, timeoutMs: 120_000 })
}

/** The result CSV as text (UTF-8 with BOM), for the page to save as a file. */
export function importResultCsv(id: number): Promise<string> {
  return request<string>({ path: `/admin/adjustments/imports/${id}/result.csv`, auth: 'staff', dataType: 'text' })
}
