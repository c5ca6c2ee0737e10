import Taro from '@tarojs/taro'
import { ApiError } from '../services/request'

/** The Chinese message for anything a call can throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return '出了点问题,请稍后重试'
}

/**
 * Tells the user an action failed. A timeout, lost network or server error gets a dialog with 重试 (the retry
 * reuses the action's Idempotency-Key, see IdempotentAction); a refusal (409 etc.) a short toast.
 */
export async function reportError(e: unknown, retry?: () => void): Promise<void> {
  if (e instanceof ApiError && e.handled) return
  if (!(e instanceof ApiError)) console.error(e)
  if (e instanceof ApiError && e.retryable && retry) {
    const r = await Taro.showModal({
      title: e.kind === 'http' ? '操作未完成' : '网络不给力',
      content: e.message,
      confirmText: '重试',
      cancelText: '取消',
      confirmColor: '#e8541e',
    })
    if (r.confirm) retry()
    return
  }
  await Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 2500 })
}

export function toast(title: string): void {
  void Taro.showToast({ title, icon: 'none', duration: 2000 })
}

/**
 * For forms and sheets with an inline error line: the line always says what happened; a failure whose outcome
 * is unknown (timeout, offline, 5xx) also gets the 重试 dialog. Nothing when request() already redirected.
 */
export function handleActionError(e: unknown, setInline: (message: string) => void, retry: () => void): void {
  if (e instanceof ApiError && e.handled) return
  setInline(errorMessage(e))
  if (e instanceof ApiError && e.retryable) void reportError(e, retry)
  else if (!(e instanceof ApiError)) console.error(e)
}
