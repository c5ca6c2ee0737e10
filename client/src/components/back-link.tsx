import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import './back-link.css'

/** Back to the previous page, or to 首页 when this page was opened directly (a reload, a shared link). */
export function goBackOrHome(): void {
  const home = () => void Taro.switchTab({ url: '/pages/home/index' }).catch(() => undefined)
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack().catch(home)
  else home()
}

/**
 * A small 返回 link at the top of a non-tab page on H5, where there is no native navigation bar with a back
 * arrow. Renders nothing on weapp (the native bar already has one).
 */
export function BackLink({ className = '' }: { className?: string }) {
  if (process.env.TARO_ENV !== 'h5') return null
  return (
    <View className={`back-link jf-back ${className}`} onClick={goBackOrHome}>
      <View className='back-link-arrow' />
      <Text>返回</Text>
    </View>
  )
}
