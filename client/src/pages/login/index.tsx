import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { DEMO_MEMBERS, health, loginAsDemo, loginWithWechat } from '../../services/auth'
import { ErrorState, LoadingState } from '../../components/state-view'
import { useResource } from '../../hooks/use-resource'
import { reportError } from '../../utils/feedback'
import './index.css'

const isWeapp = process.env.TARO_ENV === 'weapp'
/** The dev picker's entry for a first open as a new member (a fresh openid each time). */
const NEW_MEMBER = '+new'

function goHome() {
  void Taro.switchTab({ url: '/pages/home/index' })
}

function StaffEntry() {
  return (
    <View className='login-staff jf-staff-entry' onClick={() => void Taro.navigateTo({ url: '/staff/login/index' })}>
      <Text>店员 / 运营登录</Text>
      <Text className='login-staff-arrow'>›</Text>
    </View>
  )
}

/** weapp: sign in with WeChat (Taro.login -> /auth/wechat) without asking anything. */
function WechatLogin() {
  const r = useResource(async () => {
    await loginWithWechat()
    goHome()
    return true
  })
  return (
    <View>
      {r.error ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : <LoadingState text='正在使用微信登录…' />}
    </View>
  )
}

/** H5 against a WECHAT_MODE=dev server: pick one of the seeded demo members. */
function DevLogin() {
  const h = useResource(health)
  const [busy, setBusy] = useState<string | null>(null)
  const pick = async (name: string) => {
    if (busy) return
    setBusy(name)
    try {
      await loginAsDemo(name === NEW_MEMBER ? `new_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}` : name)
      goHome()
    } catch (e) {
      void reportError(e, () => void pick(name))
    } finally {
      setBusy(null)
    }
  }
  if (h.loading) return <LoadingState />
  if (h.error) return <ErrorState error={h.error} onRetry={() => void h.reload()} />
  if (h.data?.wechatMode !== 'dev') {
    return (
      <View className='card login-note'>
        <Text className='state-title'>请在微信中打开</Text>
        <Text className='muted'>会员登录需要微信授权。浏览器版仅在开发模式下提供演示会员。</Text>
      </View>
    )
  }
  return (
    <View className='card'>
      <Text className='login-card-title'>选择演示会员</Text>
      <Text className='muted'>开发模式:无需微信授权,直接以演示会员身份进入。</Text>
      <View className='login-members'>
        {DEMO_MEMBERS.map((name) => (
          <View key={name} className={`login-member jf-login-member jf-login-${name} ${busy === name ? 'is-busy' : ''}`} onClick={() => void pick(name)}>
            <View className='login-avatar'>{name.slice(0, 1).toUpperCase()}</View>
            <Text className='login-name'>{name}</Text>
            <Text className='login-go'>{busy === name ? '登录中…' : '进入'}</Text>
          </View>
        ))}
      </View>
      {/* A brand-new member (a fresh openid): what a first open looks like, welcome screen and agreement first. */}
      <View className={`login-member login-new jf-login-new ${busy === NEW_MEMBER ? 'is-busy' : ''}`} onClick={() => void pick(NEW_MEMBER)}>
        <View className='login-avatar'>+</View>
        <Text className='login-name'>新会员</Text>
        <Text className='login-go'>{busy === NEW_MEMBER ? '登录中…' : '首次体验'}</Text>
      </View>
    </View>
  )
}

export default function LoginPage() {
  return (
    <View className='page login-page'>
      <View className='login-hero'>
        <View className='login-logo'>积</View>
        <Text className='login-brand'>积分会员</Text>
        <Text className='login-slogan'>消费得积分 · 积分换好礼</Text>
      </View>
      {isWeapp ? <WechatLogin /> : <DevLogin />}
      <StaffEntry />
    </View>
  )
}
