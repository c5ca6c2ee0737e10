import Taro from '@tarojs/taro'
import { ERRORS, isErrorCode, type ErrorCode } from '@jifen/shared'
import type { ZodType } from 'zod'
import { LOGIN_URL, clearSession, tokenOf, type Audience } from './session'

/**
 * The one place the client talks HTTP. Every call goes through `request()`, which in order:
 *  1. attaches the bearer token of the audience the call is for (member or staff),
 *  2. attaches the Idempotency-Key the caller made for this user action (see IdempotentAction),
 *  3. turns a failure into an ApiError with a Chinese message (server error codes via the shared ERRORS table;
 *     timeouts and offline get their own kinds so the page can offer 重试),
 *  4. on 401 sends the user back to the right login page (on weapp a member is signed in again silently, once),
 *  5. checks the body against the shared zod schema, the API contract.
 * Pages never call Taro.request themselves; they call the typed modules next to this file.
 */

export const API_ROOT = `${API_BASE}/api/v1`
const TIMEOUT_MS = 15_000

export type ApiErrorKind = 'http' | 'timeout' | 'offline' | 'network'
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'OFFLINE' | 'NETWORK' | 'HTTP'

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly code: ClientErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /**
   * Whether sending the same request again can help, and must reuse the same Idempotency-Key: the request may
   * or may not have reached the server (timeout, network) or the server failed (5xx, 429 after a wait).
   */
  get retryable(): boolean {
    return this.kind !== 'http' || this.status >= 500 || this.status === 429
  }

  /** Set when request() already dealt with it (redirected to login), so the page shows nothing more. */
  handled = false
}

const KIND_MESSAGES: Record<Exclude<ApiErrorKind, 'http'>, string> = {
  timeout: '网络超时,请检查网络后重试',
  offline: '网络未连接,请联网后重试',
  network: '网络连接失败,请稍后重试',
}

function statusMessage(status: number): string {
  if (status === 401) return ERRORS.UNAUTHENTICATED.zh
  if (status === 403) return ERRORS.FORBIDDEN.zh
  if (status === 404) return ERRORS.NOT_FOUND.zh
  if (status === 429) return ERRORS.RATE_LIMITED.zh
  if (status >= 500) return ERRORS.INTERNAL.zh
  return '请求失败,请稍后重试'
}

/** The server's {error:{code}} mapped to our own Chinese text (the code is the contract, not the server's wording). */
function httpError(status: number, data: unknown): ApiError {
  const err = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error
  if (err && isErrorCode(err.code)) return new ApiError('http', err.code, status, ERRORS[err.code].zh, err.details)
  const message = err && typeof err.message === 'string' && err.message ? err.message : statusMessage(status)
  return new ApiError('http', 'HTTP', status, message)
}

// ---- Idempotency ----------------------------------------------------------------------------------------

let keySeq = 0
/** 8-100 chars of [A-Za-z0-9_:.-] (shared idempotencyKeySchema). Unique enough without crypto (not on every weapp base). */
export function newIdempotencyKey(): string {
  keySeq = (keySeq + 1) % 1_000_000
  const rand = Math.floor(Math.random() * 36 ** 8).toString(36).padStart(8, '0')
  return `jf-${Date.now().toString(36)}-${keySeq.toString(36)}-${rand}`
}

/**
 * One user action (tap 确认兑换, 确认退款...) = one Idempotency-Key. The key is made on the first attempt and
 * reused while the user retries the same request after a failure that left the outcome unknown; once the server
 * gives a definite answer (success, or a 4xx refusal) or the request changes, the next attempt is a new action.
 */
export class IdempotentAction {
  private key: string | null = null
  private fingerprint = ''

  async run<T>(body: unknown, send: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const fp = JSON.stringify(body ?? null)
    if (this.key === null || fp !== this.fingerprint) {
      this.key = newIdempotencyKey()
      this.fingerprint = fp
    }
    try {
      const out = await send(this.key)
      this.key = null
      return out
    } catch (e) {
      if (!(e instanceof ApiError && e.retryable)) this.key = null
      throw e
    }
  }
}

// ---- Sign-in on 401 -------------------------------------------------------------------------------------

type Reauth = () => Promise<string | null>
const reauthBy: Partial<Record<Audience, Reauth>> = {}

/** auth.ts registers the weapp silent member login (Taro.login -> /auth/wechat) here; none on H5. */
export function registerReauth(audience: Audience, fn: Reauth): void {
  reauthBy[audience] = fn
}

let redirecting = false
function sendToLogin(audience: Audience, reason?: ApiError): void {
  const url = LOGIN_URL[audience]
  const pages = Taro.getCurrentPages()
  const here = pages.length ? `/${pages[pages.length - 1]!.route ?? ''}` : ''
  if (redirecting || here.startsWith(url)) {
    clearSession(audience)
    return
  }
  redirecting = true
  const go = () => {
    clearSession(audience)
    return Taro.reLaunch({ url }).finally(() => {
      redirecting = false
    })
  }
  // Staff whose session ended mid-shift (an admin disabled the account or changed its access, or the 8 hours
  // are over) are told why on the page they are on before it closes: the session stays until they tap, so the
  // page does not jump away on its own.
  if (audience === 'staff' && reason) {
    Taro.showModal({
      title: '需要重新登录',
      content: reason.code === 'SESSION_REVOKED' ? ERRORS.SESSION_REVOKED.zh : '登录已过期,请重新登录',
      showCancel: false,
      confirmText: '重新登录',
      confirmColor: '#e8541e',
    })
      .catch(() => undefined)
      .then(go)
    return
  }
  void go()
}

// ---- The agreement ------------------------------------------------------------------------------------

export const WELCOME_URL = '/pages/welcome/index'

/** Opens the welcome screen (what the member gets + the agreement) unless it is already on screen. */
export function showWelcome(): void {
  const pages = Taro.getCurrentPages()
  const here = pages.length ? `/${pages[pages.length - 1]!.route ?? ''}` : ''
  if (here.startsWith(WELCOME_URL)) return
  void Taro.navigateTo({ url: WELCOME_URL })
}

// ---- The request ----------------------------------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ApiCall<T> {
  method?: Method
  /** Under /api/v1, e.g. '/me/ledger'. */
  path: string
  query?: Record<string, string | number | null | undefined>
  body?: unknown
  /** Whose token to send; 'none' for login and public routes. */
  auth: Audience | 'none'
  idempotencyKey?: string
  schema?: ZodType<T>
  timeoutMs?: number
  /** For a non-JSON body (a CSV upload as text or ArrayBuffer); JSON otherwise. */
  contentType?: string
  /** 'text' for a non-JSON answer (a CSV download); errors are still read as JSON. */
  dataType?: 'json' | 'text'
}

function urlOf(path: string, query?: ApiCall<unknown>['query']): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== null && v !== undefined && v !== '') parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  }
  return `${API_ROOT}${path}${parts.length ? `?${parts.join('&')}` : ''}`
}

async function isOffline(): Promise<boolean> {
  if (process.env.TARO_ENV === 'h5') return typeof navigator !== 'undefined' && navigator.onLine === false
  try {
    return (await Taro.getNetworkType()).networkType === 'none'
  } catch {
    return false
  }
}

interface RawResponse {
  statusCode: number
  data: unknown
}

interface EarlyAnswer {
  token: string | null
  at: number
  res: Promise<{ statusCode: number; text: string }>
}

/**
 * H5 only: index.html starts a signed-in member's home calls (GET /me, /rules...) before the scripts have loaded
 * (issue 14.7). The first GET of such a path takes that answer, once, if it was asked with the same token and is
 * fresh; a failed early fetch is simply asked again.
 */
async function early(call: ApiCall<unknown>, token: string | null): Promise<RawResponse | null> {
  if (process.env.TARO_ENV !== 'h5' || API_BASE !== '' || (call.method ?? 'GET') !== 'GET' || call.query || call.dataType === 'text') return null
  const store = (globalThis as { __jfEarly?: Record<string, EarlyAnswer | undefined> }).__jfEarly
  const hit = store?.[call.path]
  if (!hit) return null
  delete store![call.path]
  if (hit.token !== (call.auth === 'none' ? null : token) || Date.now() - hit.at > 30_000) return null
  try {
    const { statusCode, text } = await hit.res
    return { statusCode, data: text === '' ? '' : parseJson(text) ?? text }
  } catch {
    return null
  }
}

async function send(call: ApiCall<unknown>, token: string | null): Promise<RawResponse> {
  if (process.env.TARO_ENV === 'h5') {
    const got = await early(call, token)
    if (got) return got
  }
  const header: Record<string, string> = { Accept: 'application/json' }
  if (call.body !== undefined) header['Content-Type'] = call.contentType ?? 'application/json'
  if (token) header.Authorization = `Bearer ${token}`
  if (call.idempotencyKey) header['Idempotency-Key'] = call.idempotencyKey
  const timeout = call.timeoutMs ?? TIMEOUT_MS
  const started = Date.now()
  try {
    return await Taro.request<unknown>({
      url: urlOf(call.path, call.query),
      method: call.method ?? 'GET',
      data: call.body,
      header,
      timeout,
      dataType: call.dataType ?? 'json',
    })
  } catch (e) {
    const errMsg = String((e as { errMsg?: unknown; message?: unknown })?.errMsg ?? (e as Error)?.message ?? '')
    if (await isOffline()) throw new ApiError('offline', 'OFFLINE', 0, KIND_MESSAGES.offline)
    const timedOut = /timeout|abort/i.test(errMsg) || Date.now() - started >= timeout - 50
    throw timedOut ? new ApiError('timeout', 'TIMEOUT', 0, KIND_MESSAGES.timeout) : new ApiError('network', 'NETWORK', 0, KIND_MESSAGES.network)
  }
}

export async function request<T>(call: ApiCall<T>): Promise<T> {
  const audience = call.auth === 'none' ? null : call.auth
  let token = audience ? tokenOf(audience) : null
  if (audience && !token) token = (await reauthBy[audience]?.()) ?? null
  if (audience && !token) {
    sendToLogin(audience)
    const err = new ApiError('http', 'UNAUTHENTICATED', 401, ERRORS.UNAUTHENTICATED.zh)
    err.handled = true
    throw err
  }

  let res = await send(call, token)
  if (res.statusCode === 401 && audience) {
    // A token that expired: a weapp member signs in again without a screen and the call is made once more.
    const reauth = reauthBy[audience]
    if (reauth) {
      clearSession(audience)
      const fresh = (await reauth()) ?? null
      if (fresh) res = await send(call, fresh)
    }
    if (res.statusCode === 401) {
      const err = httpError(401, res.data)
      sendToLogin(audience, err)
      err.handled = true
      throw err
    }
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const err = httpError(res.statusCode, typeof res.data === 'string' ? parseJson(res.data) : res.data)
    // Earning or spending before the agreement is accepted (a new member, or a new version): the welcome screen.
    if (audience === 'member' && err.code === 'AGREEMENT_REQUIRED') {
      showWelcome()
      err.handled = true
    }
    throw err
  }

  if (!call.schema) return res.data as T
  const parsed = call.schema.safeParse(res.data)
  if (parsed.success) return parsed.data
  // The contract drifted: show what we got rather than nothing, and say so where developers look.
  console.warn(`[api] ${call.method ?? 'GET'} ${call.path}: response does not match the shared schema`, parsed.error.issues.slice(0, 3))
  return res.data as T
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** An image or asset path from the API ('/api/v1/assets/...') as a URL this build can load. */
export function assetUrl(path: string): string {
  return /^(https?:|data:)/.test(path) ? path : `${API_BASE}${path}`
}
