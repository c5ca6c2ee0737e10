import {
  adminDisputeListResponse,
  disputeAnswerResponse,
  disputeListResponse,
  disputeResponse,
  uploadResponse,
  type AdminDisputeDto,
  type AdminDisputeListResponse,
  type DisputeAnswerRequest,
  type DisputeCreateRequest,
  type DisputeDto,
  type DisputeStatus,
  type UploadDto,
} from '@jifen/shared'
import { request } from './request'

export type { AdminDisputeDto, DisputeDto, DisputeStatus }

/** GET /me/disputes: the member's disputes newest first. */
export function myDisputes(): Promise<DisputeDto[]> {
  return request({ path: '/me/disputes', auth: 'member', schema: disputeListResponse }).then((r) => r.disputes)
}

/** POST /me/disputes with the action's Idempotency-Key (a retry after a timeout files nothing twice). */
export function fileDispute(body: DisputeCreateRequest, idempotencyKey: string): Promise<DisputeDto> {
  return request({ method: 'POST', path: '/me/disputes', body, idempotencyKey, auth: 'member', schema: disputeResponse }).then((r) => r.dispute)
}

/** POST /me/uploads: a picture for a dispute, as raw bytes (the server reads the type from them); answers its URL. */
export function uploadDisputeImage(bytes: ArrayBuffer): Promise<UploadDto> {
  return request({ method: 'POST', path: '/me/uploads', body: bytes, contentType: 'application/octet-stream', auth: 'member', schema: uploadResponse })
}

/** POST /me/disputes/:id/close: withdraw (open) or settle (answered). */
export function closeDispute(id: number): Promise<DisputeDto> {
  return request({ method: 'POST', path: `/me/disputes/${id}/close`, auth: 'member', schema: disputeResponse }).then((r) => r.dispute)
}

/** GET /admin/disputes?status: the staff queue. */
export function disputeQueue(status: DisputeStatus | null): Promise<AdminDisputeListResponse> {
  return request({ path: '/admin/disputes', query: { status }, auth: 'staff', schema: adminDisputeListResponse })
}

/** POST /admin/disputes/:id/answer. */
export function answerDispute(id: number, body: DisputeAnswerRequest): Promise<AdminDisputeDto> {
  return request({ method: 'POST', path: `/admin/disputes/${id}/answer`, body, auth: 'staff', schema: disputeAnswerResponse }).then((r) => r.dispute)
}
