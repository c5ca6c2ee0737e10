import { View, Text } from '@tarojs/components'

export default function ShelfPage() {
  return (
    <View className='page'>
      <Text className='page-title'>积分兑换</Text>
    </View>
  )
}
