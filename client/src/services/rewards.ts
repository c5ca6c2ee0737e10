import {
  redemptionListResponse,
  redemptionResponse,
  rewardListResponse,
  type RedemptionDto,
  type RewardDto,
} from '@jifen/shared'
import { request } from './request'

export type { RewardDto, RedemptionDto }
export interface RedemptionResult {
  redemption: RedemptionDto
  balance: number
}

/** GET /rewards: the shelf, each reward with this member's eligibility (tier gate, limit, stock, balance). */
export async function getShelf(): Promise<RewardDto[]> {
  return (await request({ path: '/rewards', auth: 'member', schema: rewardListResponse })).rewards
}

/** POST /me/redemptions: pass the Idempotency-Key of this user action (IdempotentAction) so a retry cannot redeem twice. */
export function redeem(rewardId: number, quantity: number, idempotencyKey: string): Promise<RedemptionResult> {
  return request({ method: 'POST', path: '/me/redemptions', body: { rewardId, quantity }, idempotencyKey, auth: 'member', schema: redemptionResponse })
}

/** GET /me/redemptions: newest first. */
export async function getMyRedemptions(): Promise<RedemptionDto[]> {
  return (await request({ path: '/me/redemptions', auth: 'member', schema: redemptionListResponse })).redemptions
}

/** POST /me/redemptions/:id/cancel: only while AWAITING_PICKUP; the points go back to the lots they came from. */
export function cancelRedemption(id: number): Promise<RedemptionResult> {
  return request({ method: 'POST', path: `/me/redemptions/${id}/cancel`, auth: 'member', schema: redemptionResponse })
}
