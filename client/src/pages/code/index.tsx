import Taro, { useDidHide, useDidShow, useUnload } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { cachedProfile, getMemberCode, type MemberCodeResponse } from '../../services/me'
import { QrImage } from '../../components/qr-image'
import { BackLink } from '../../components/back-link'
import { ErrorState, LoadingState } from '../../components/state-view'
import './index.css'

const isWeapp = process.env.TARO_ENV === 'weapp'

/** Seconds left on a code, by the local clock, clamped to the rotation period so a skewed clock cannot loop. */
function secondsLeft(code: MemberCodeResponse, nowMs: number): number {
  const left = Math.ceil((Date.parse(code.expiresAt) - nowMs) / 1000)
  return Math.max(0, Math.min(code.refreshSeconds, left))
}

/** Raise the screen to full brightness while the code is shown (weapp), and put it back afterwards. */
function useBrightScreen() {
  const saved = useRef<number | null>(null)
  const raise = useCallback(() => {
    if (!isWeapp) return
    Taro.getScreenBrightness()
      .then((r) => {
        saved.current ??= r.value
        return Taro.setScreenBrightness({ value: 1 })
      })
      .catch(() => undefined)
    Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => undefined)
  }, [])
  const restore = useCallback(() => {
    if (!isWeapp) return
    if (saved.current !== null) Taro.setScreenBrightness({ value: saved.current }).catch(() => undefined)
    saved.current = null
    Taro.setKeepScreenOn({ keepScreenOn: false }).catch(() => undefined)
  }, [])
  useDidShow(raise)
  useDidHide(restore)
  useUnload(restore)
}

export default function MemberCodePage() {
  const [code, setCode] = useState<MemberCodeResponse | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [now, setNow] = useState(Date.now())
  const [visible, setVisible] = useState(true)
  const fetching = useRef(false)
  const profile = cachedProfile()
  useBrightScreen()
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))

  const refresh = useCallback(async () => {
    if (fetching.current) return
    fetching.current = true
    try {
      const next = await getMemberCode()
      setCode(next)
      setError(null)
      setNow(Date.now())
    } catch (e) {
      setError(e)
    } finally {
      fetching.current = false
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  // One tick a second drives the countdown; at zero the next code is fetched. Paused while hidden or failed.
  useEffect(() => {
    if (!visible || error) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [visible, error])

  const left = code ? secondsLeft(code, now) : 0
  useEffect(() => {
    if (code && visible && !error && left === 0) void refresh()
  }, [code, left, visible, error, refresh])

  return (
    <View className='page code-page'>
      <BackLink className='is-light' />
      <View className='code-card'>
        <View className='code-head'>
          <Text className='code-name'>{profile?.nickname ?? '会员'}</Text>
          <Text className='muted'>到店消费时出示,店员扫码积分</Text>
        </View>
        {error && !code ? (
          <ErrorState error={error} onRetry={() => void refresh()} />
        ) : !code ? (
          <LoadingState text='正在生成会员码…' />
        ) : (
          <View className='code-body'>
            <View className={`qr-box ${error ? 'is-stale' : ''}`}>
              <QrImage text={code.code} className='qr jf-member-qr' />
            </View>
            <Text className='code-text num jf-member-code'>{code.code}</Text>
            {error ? (
              <View className='code-stale'>
                <Text className='muted'>刷新失败,当前码可能已失效</Text>
                <View className='btn btn-primary btn-small jf-code-refresh' onClick={() => void refresh()}>
                  重新获取
                </View>
              </View>
            ) : (
              <View className='countdown jf-code-countdown'>
                <View className='countdown-bar'>
                  <View className='countdown-fill' style={{ width: `${(left * 100) / code.refreshSeconds}%` }} />
                </View>
                <Text className='countdown-text'>
                  <Text className='num jf-code-seconds'>{left}</Text> 秒后自动刷新 ·{' '}
                  <Text className='link jf-code-refresh' onClick={() => void refresh()}>
                    立即刷新
                  </Text>
                </Text>
              </View>
            )}
          </View>
        )}
      </View>
      <View className='bright-hint jf-brightness-hint'>
        <Text className='bright-icon'>☀</Text>
        <Text>{isWeapp ? '已为你调高屏幕亮度,方便店员扫码' : '请调高屏幕亮度,方便店员扫码'}</Text>
      </View>
      <Text className='muted code-foot'>会员码每 {code?.refreshSeconds ?? 30} 秒更新一次,仅限本人当次使用,请勿截图转发。</Text>
    </View>
  )
}
