import {
  rewardAdminListResponse,
  rewardAdminResponse,
  rewardDetailResponse,
  stockMoveResponse,
  uploadResponse,
  type RewardAdminDto,
  type RewardCreateRequest,
  type RewardPatchRequest,
  type RewardStatus,
  type StockMovementDto,
  type UploadDto,
} from '@jifen/shared'
import { request } from './request'

export type { RewardAdminDto, RewardStatus, StockMovementDto, UploadDto }

/** Inputs as the form builds them (the server applies the shared schemas' defaults and cleaning). */
export type RewardCreateInput = Partial<RewardCreateRequest> & Pick<RewardCreateRequest, 'title' | 'faceValueFen' | 'costFen' | 'pointsPrice' | 'stock'>

/** GET /admin/rewards: the catalogue with filters. */
export function listRewardsAdmin(query: { status?: RewardStatus; category?: string; q?: string; lowStock?: '1'; ending?: '1' } = {}) {
  return request({ path: '/admin/rewards', query, auth: 'staff', schema: rewardAdminListResponse })
}

/** GET /admin/rewards/:id: the reward with its price history and latest stock movements. */
export function getRewardAdmin(id: number) {
  return request({ path: `/admin/rewards/${id}`, auth: 'staff', schema: rewardDetailResponse })
}

export async function createReward(body: RewardCreateInput): Promise<RewardAdminDto> {
  return (await request({ method: 'POST', path: '/admin/rewards', body, auth: 'staff', schema: rewardAdminResponse })).reward
}

/** PATCH /admin/rewards/:id: any field but stock; a new price is kept in the price history. */
export async function updateReward(id: number, body: RewardPatchRequest): Promise<RewardAdminDto> {
  return (await request({ method: 'PATCH', path: `/admin/rewards/${id}`, body, auth: 'staff', schema: rewardAdminResponse })).reward
}

/** POST /admin/rewards/:id/stock: pass the Idempotency-Key of this user action (IdempotentAction). */
export function moveRewardStock(id: number, body: { delta: number; reason: string }, idempotencyKey: string) {
  return request({ method: 'POST', path: `/admin/rewards/${id}/stock`, body, idempotencyKey, auth: 'staff', schema: stockMoveResponse })
}

/** POST /admin/uploads: the image's bytes as the body (the server reads the type from the bytes). */
export function uploadImage(bytes: ArrayBuffer, name: string): Promise<UploadDto> {
  return request({ method: 'POST', path: '/admin/uploads', query: { name }, body: bytes, contentType: 'application/octet-stream', auth: 'staff', schema: uploadResponse })
}
