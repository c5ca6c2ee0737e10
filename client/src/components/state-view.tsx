import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { ApiError } from '../services/request'
import { errorMessage } from '../utils/feedback'

/** Shown while a page's first load is in flight: a spinner and a word, never a blank screen. */
export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state jf-loading'>
      <View className='spinner' />
      <Text className='state-hint'>{text}</Text>
    </View>
  )
}

/** Placeholder blocks in the shape of the content (used where the layout is known, e.g. the home cards). */
export function Skeleton({ heights }: { heights: number[] }) {
  return (
    <View className='jf-loading'>
      {heights.map((h, i) => (
        <View key={i} className='skeleton' style={{ height: Taro.pxTransform(h) }} />
      ))}
    </View>
  )
}

/** A failed load: what went wrong in plain words and a 重试 button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  // request() is already taking the user to the login page.
  if (error instanceof ApiError && error.handled) return <LoadingState text='请先登录…' />
  const network = error instanceof ApiError && error.kind !== 'http'
  return (
    <View className='state state-error jf-error-state'>
      <View className='state-icon'>!</View>
      <Text className='state-title'>{network ? '网络不给力' : '加载失败'}</Text>
      <Text className='state-hint'>{errorMessage(error)}</Text>
      <View className='btn btn-primary btn-small jf-retry-btn' onClick={onRetry}>
        重试
      </View>
    </View>
  )
}

/** Nothing to show yet, with a hint of how to get something. */
export function EmptyState({ title, hint, icon = '○', action }: { title: string; hint?: string; icon?: string; action?: ReactNode }) {
  return (
    <View className='state jf-empty'>
      <View className='state-icon'>{icon}</View>
      <Text className='state-title'>{title}</Text>
      {hint ? <Text className='state-hint'>{hint}</Text> : null}
      {action}
    </View>
  )
}
