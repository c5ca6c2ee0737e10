import { View, Text } from '@tarojs/components'

export default function StaffLoginPage() {
  return (
    <View className='page'>
      <Text className='page-title'>店员登录</Text>
    </View>
  )
}
