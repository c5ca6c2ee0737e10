import { View, Text } from '@tarojs/components'
import { formatYuan } from '@jifen/shared'
import './index.css'

export default function HomePage() {
  return (
    <View className='page'>
      <Text className='page-title'>首页</Text>
      <View className='card'>
        <Text className='muted'>积分价值</Text>
        <Text className='home-worth'>¥{formatYuan(12345)}</Text>
      </View>
    </View>
  )
}
