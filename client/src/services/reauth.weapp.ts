import { registerReauth } from './request'
import { loginWithWechat } from './auth'
import { tokenOf } from './session'

/**
 * weapp only (Taro picks this file over reauth.ts when building weapp): a member never sees a login screen. A
 * missing or expired member token is replaced silently by Taro.login -> /auth/wechat, once per burst of requests.
 */
let inflight: Promise<string | null> | null = null

registerReauth('member', () => {
  inflight ??= loginWithWechat()
    .then(() => tokenOf('member'))
    .catch((e: unknown) => {
      console.warn('[auth] silent WeChat login failed', (e as { errMsg?: string })?.errMsg ?? e)
      return null
    })
    .finally(() => {
      inflight = null
    })
  return inflight
})

export const silentLogin = true
