import { View } from '@tarojs/components'

export function ProgressBar({ pct, color, className = '' }: { pct: number; color?: string; className?: string }) {
  const width = Math.max(0, Math.min(100, pct))
  return (
    <View className={`progress ${className}`}>
      <View className='progress-fill' style={{ width: `${width}%`, ...(color ? { background: color } : {}) }} />
    </View>
  )
}
