import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useEffect, type ReactNode } from 'react'
import type { StaffRole } from '@jifen/shared'
import { LOGIN_URL, staffProfile, tokenOf } from '../../services/session'
import { logoutStaff } from '../../services/auth'
import { EmptyState } from '../../components/state-view'
import '../staff.css'

interface NavItem {
  key: string
  text: string
  url: string
  roles: StaffRole[]
}

const NAV: NavItem[] = [
  { key: 'clerk', text: '收银积分', url: '/staff/clerk/index', roles: ['clerk'] },
  { key: 'refund', text: '退款', url: '/staff/refund/index', roles: ['clerk'] },
  { key: 'fulfil', text: '核销兑换', url: '/staff/fulfil/index', roles: ['clerk'] },
  { key: 'campaigns', text: '营销活动', url: '/staff/campaigns/index', roles: ['marketing', 'admin'] },
  { key: 'report', text: '积分健康', url: '/staff/report/index', roles: ['marketing', 'admin'] },
]

const ROLE_NAME: Record<StaffRole, string> = { clerk: '店员', marketing: '运营', admin: '管理员' }

/** Where a role lands after signing in. */
export function homeFor(role: StaffRole): string {
  return role === 'clerk' ? '/staff/clerk/index' : '/staff/campaigns/index'
}

/**
 * The frame of every staff page: who is signed in (and at which store), the pages this role can use, 退出.
 * Content is centred and capped in width so the same pages work on a phone and on a counter/desktop browser.
 */
export function StaffShell({ active, children }: { active: string; children: ReactNode }) {
  const staff = tokenOf('staff') ? staffProfile() : null
  const page = NAV.find((n) => n.key === active)
  const allowed = staff !== null && (!page || page.roles.includes(staff.role))
  useEffect(() => {
    // No staff session: sign in first (an expired token is caught by request() on the first call).
    if (!staff) void Taro.redirectTo({ url: LOGIN_URL.staff })
  }, [staff])
  const logout = () => {
    logoutStaff()
    void Taro.reLaunch({ url: '/staff/login/index' })
  }
  const items = staff ? NAV.filter((n) => n.roles.includes(staff.role)) : []
  return (
    <View className='staff'>
      <View className='staff-bar'>
        <View className='staff-bar-inner'>
          <View className='staff-who'>
            <Text className='staff-user jf-staff-user'>{staff?.username ?? '未登录'}</Text>
            {staff ? (
              <Text className='staff-role jf-staff-role'>
                {ROLE_NAME[staff.role]}
                {staff.storeName ? ` · ${staff.storeName}` : ''}
              </Text>
            ) : null}
          </View>
          <Text className='staff-logout jf-staff-logout' onClick={logout}>
            退出
          </Text>
        </View>
        {items.length > 1 ? (
          <View className='staff-nav'>
            {items.map((n) => (
              <View
                key={n.key}
                className={`staff-nav-item jf-nav-${n.key} ${n.key === active ? 'is-active' : ''}`}
                onClick={() => n.key !== active && void Taro.redirectTo({ url: n.url })}
              >
                {n.text}
              </View>
            ))}
          </View>
        ) : null}
      </View>
      <View className='staff-body'>
        {allowed ? (
          children
        ) : staff ? (
          <EmptyState
            title='没有权限'
            hint={`「${page?.text ?? ''}」仅限${page?.roles.map((r) => ROLE_NAME[r]).join('、')}使用`}
            icon='!'
            action={
              <View className='btn btn-primary btn-small' onClick={() => void Taro.redirectTo({ url: homeFor(staff.role) })}>
                回到我的工作台
              </View>
            }
          />
        ) : null}
      </View>
    </View>
  )
}
