import { View, Text } from '@tarojs/components'

export default function LedgerPage() {
  return (
    <View className='page'>
      <Text className='page-title'>积分明细</Text>
    </View>
  )
}
