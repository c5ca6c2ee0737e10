import { subscriptionsResponse, type SubscriptionsResponse } from '@jifen/shared'
import { request } from './request'

export type { SubscriptionsResponse }

/** GET /me/subscriptions: the subscribe-message templates and how many messages of each the member still allows. */
export function getSubscriptions(): Promise<SubscriptionsResponse> {
  return request({ path: '/me/subscriptions', auth: 'member', schema: subscriptionsResponse })
}

/** POST /me/subscriptions: what wx.requestSubscribeMessage answered (template id -> accept / reject / ban / filter). */
export function reportSubscriptions(results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'>, idempotencyKey: string): Promise<SubscriptionsResponse> {
  return request({ method: 'POST', path: '/me/subscriptions', body: { results }, idempotencyKey, auth: 'member', schema: subscriptionsResponse })
}
