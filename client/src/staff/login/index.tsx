import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { loginStaff } from '../../services/auth'
import { staffProfile } from '../../services/session'
import { handleActionError } from '../../utils/feedback'
import { homeFor } from '../components/staff-shell'
import '../staff.css'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

export default function StaffLoginPage() {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const current = staffProfile()

  const submit = async () => {
    if (busy) return
    const over = tooLong([['用户名', username, 64], ['密码', password, 200]])
    if (over) return setError(over)
    if (!username.trim() || !password) {
      setError('请输入用户名和密码')
      return
    }
    setBusy(true)
    setError(null)
    try {
      const staff = await loginStaff(username.trim(), password)
      void Taro.redirectTo({ url: homeFor(staff.role) })
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='staff staff-login'>
      <View className='staff-login-box'>
        <View className='staff-login-head'>
          <View className='staff-login-logo'>积</View>
          <Text className='staff-login-title'>员工登录</Text>
          <Text className='muted'>店员收银积分、退款、核销;运营管理活动与报表</Text>
        </View>
        <View className='card'>
          {current ? (
            <View className='staff-login-current jf-staff-continue' onClick={() => void Taro.redirectTo({ url: homeFor(current.role) })}>
              <Text>继续以 {current.username} 身份进入</Text>
              <Text className='link'>进入 ›</Text>
            </View>
          ) : null}
          <View className='field'>
            <Text className='field-label'>用户名</Text>
            <Input
              className='field-input jf-staff-username'
              value={username}
              placeholder='例如 clerk-a'
              maxlength={-1}
              onInput={(e) => setUsername(e.detail.value)}
            />
            <LimitHint label='用户名' text={username} max={64} />
          </View>
          <View className='field'>
            <Text className='field-label'>密码</Text>
            <Input
              className='field-input jf-staff-password'
              value={password}
              password
              placeholder='请输入密码'
              maxlength={-1}
              onInput={(e) => setPassword(e.detail.value)}
              onConfirm={() => void submit()}
            />
            <LimitHint label='密码' text={password} max={200} />
          </View>
          {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
          <View className={`btn btn-primary btn-block jf-staff-login-btn ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
            {busy ? '登录中…' : '登录'}
          </View>
        </View>
        <Text className='staff-login-back link' onClick={() => void Taro.reLaunch({ url: '/pages/home/index' })}>
          ‹ 返回会员首页
        </Text>
      </View>
    </View>
  )
}
