import {
  activeCampaignsResponse,
  campaignListResponse,
  campaignSchema,
  type ActiveCampaignDto,
  type CampaignCreateRequest,
  type CampaignDto,
  type CampaignPatchRequest,
} from '@jifen/shared'
import { z } from 'zod'
import { request } from './request'

export type { ActiveCampaignDto, CampaignDto, CampaignCreateRequest, CampaignPatchRequest }

/** GET /campaigns/active: running campaigns that apply to this member now (the 首页 banner). */
export async function getActiveCampaigns(): Promise<ActiveCampaignDto[]> {
  return (await request({ path: '/campaigns/active', auth: 'member', schema: activeCampaignsResponse })).campaigns
}

/** GET /admin/campaigns: newest first, one page (CAMPAIGN_LIST_MAX). */
export async function listCampaigns(): Promise<CampaignDto[]> {
  return (await request({ path: '/admin/campaigns', auth: 'staff', schema: campaignListResponse })).campaigns
}

export function getCampaign(id: number): Promise<CampaignDto> {
  return request({ path: `/admin/campaigns/${id}`, auth: 'staff', schema: campaignSchema })
}

/** POST /admin/campaigns with the action's Idempotency-Key, so a retried 创建 never makes a twin. */
export function createCampaign(body: CampaignCreateRequest, idempotencyKey: string): Promise<CampaignDto> {
  return request({ method: 'POST', path: '/admin/campaigns', body, idempotencyKey, auth: 'staff', schema: campaignSchema })
}

export function updateCampaign(id: number, body: CampaignPatchRequest): Promise<CampaignDto> {
  return request({ method: 'PATCH', path: `/admin/campaigns/${id}`, body, auth: 'staff', schema: campaignSchema })
}

/** POST /admin/campaigns/:id/end: stops it now; an ended campaign is read-only. */
export function endCampaign(id: number): Promise<CampaignDto> {
  return request({ method: 'POST', path: `/admin/campaigns/${id}/end`, auth: 'staff', schema: campaignSchema })
}

const storeListResponse = z.object({ stores: z.array(z.object({ id: z.number().int(), code: z.string().optional(), name: z.string() })) })
export type StoreDto = z.infer<typeof storeListResponse>['stores'][number]

/** GET /admin/stores: the stores a campaign can target (requested from the server team; see the form's fallback). */
export async function listStores(): Promise<StoreDto[]> {
  return (await request({ path: '/admin/stores', auth: 'staff', schema: storeListResponse })).stores
}
