/**
 * The API origin compiled into the client (defineConstants API_BASE), from JIFEN_API_BASE at build time.
 * H5 is served by the API server itself, so it calls its own origin ('') unless told otherwise. The weapp
 * needs an absolute origin: http://localhost:3000 for development in WeChat DevTools (with 不校验合法域名
 * ticked), and for a release build (JIFEN_RELEASE=1: 体验版 or 正式版) an https address that WeChat will
 * accept, i.e. one listed in the mini-program's request domain whitelist. NODE_ENV cannot mark a release:
 * `taro build` always sets it to production.
 */
export interface ApiBaseInput {
  platform: 'weapp' | 'h5'
  /** JIFEN_API_BASE */
  value: string | undefined
  /** JIFEN_RELEASE === '1' */
  release: boolean
}

export const DEV_WEAPP_API_BASE = 'http://localhost:3000'

const LOCAL_HOSTS = /^(localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|.*\.localhost)$/i

export function resolveApiBase({ platform, value, release }: ApiBaseInput): string {
  const raw = (value ?? '').trim()
  if (raw === '') {
    if (platform === 'h5') return ''
    if (release) {
      throw new Error(
        'JIFEN_RELEASE=1: set JIFEN_API_BASE to the https address of your API (e.g. JIFEN_API_BASE=https://jifen.example.com), the domain listed under 开发管理 → 服务器域名 → request合法域名. A release weapp cannot call http://localhost:3000.',
      )
    }
    return DEV_WEAPP_API_BASE
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`JIFEN_API_BASE must be an absolute URL such as https://jifen.example.com (got "${raw}")`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`JIFEN_API_BASE must be an http(s) URL (got "${raw}")`)
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`JIFEN_API_BASE is the origin only, without a path (got "${raw}"; the client adds /api/v1 itself)`)
  if (release) {
    if (LOCAL_HOSTS.test(url.hostname)) {
      throw new Error(`JIFEN_RELEASE=1: JIFEN_API_BASE points at this machine (${url.hostname}); a release build must call the public https address of your API.`)
    }
    if (url.protocol !== 'https:') {
      throw new Error(`JIFEN_RELEASE=1: JIFEN_API_BASE must use https (got "${raw}"); WeChat only calls https request domains in 体验版 and 正式版.`)
    }
  }
  return url.origin
}
