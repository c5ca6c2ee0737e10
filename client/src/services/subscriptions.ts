import { subscriptionsResponse, type SubscriptionsResponse } from '@jifen/shared'
import Taro from '@tarojs/taro'
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

export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter'

/**
 * wx.requestSubscribeMessage for these templates, answered as template id -> answer (ids WeChat did not answer
 * are left out). Call it synchronously from a tap handler: WeChat refuses it otherwise.
 */
export async function askSubscribe(tmplIds: string[]): Promise<Record<string, SubscribeAnswer>> {
  const res = await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)
  const results: Record<string, SubscribeAnswer> = {}
  for (const id of tmplIds) {
    const v = (res as unknown as Record<string, string>)[id]
    if (v === 'accept' || v === 'reject' || v === 'ban' || v === 'filter') results[id] = v
  }
  return results
}
