import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useEffect, type ReactNode } from 'react'
import { ROLE_NAMES, STAFF_ROLES, roleMay, type HttpMethod, type StaffRole } from '@jifen/shared'
import { LOGIN_URL, staffProfile, tokenOf } from '../../services/session'
import { logoutStaff } from '../../services/auth'
import { EmptyState } from '../../components/state-view'
import '../staff.css'

interface NavItem {
  key: string
  text: string
  url: string
  /** The route the page loads or posts to: a role sees the page when the shared role matrix lets it call this. */
  needs: [HttpMethod, string]
}

// A role lands on its first page here (homeFor): the dashboard comes first, so an admin and marketing land on it.
const NAV: NavItem[] = [
  { key: 'dashboard', text: '概览', url: '/staff/dashboard/index', needs: ['GET', '/admin/dashboard'] },
  { key: 'clerk', text: '收银积分', url: '/staff/clerk/index', needs: ['POST', '/till/purchases'] },
  { key: 'refund', text: '退款', url: '/staff/refund/index', needs: ['POST', '/till/purchases/:orderNo/refunds'] },
  { key: 'fulfil', text: '核销兑换', url: '/staff/fulfil/index', needs: ['POST', '/till/redemptions/:pickupCode/fulfil'] },
  { key: 'coupon', text: '核销卡券', url: '/staff/coupon/index', needs: ['POST', '/till/coupons/redeem'] },
  { key: 'campaigns', text: '营销活动', url: '/staff/campaigns/index', needs: ['GET', '/admin/campaigns'] },
  { key: 'surveys', text: '问卷', url: '/staff/surveys/index', needs: ['POST', '/admin/surveys'] },
  { key: 'rewards', text: '商品', url: '/staff/rewards/index', needs: ['GET', '/admin/rewards'] },
  { key: 'report', text: '积分健康', url: '/staff/report/index', needs: ['GET', '/admin/reports/health'] },
  { key: 'economics', text: '积分经济', url: '/staff/economics/index', needs: ['GET', '/admin/economics/plan'] },
  { key: 'value-change', text: '规则变更', url: '/staff/value-change/index', needs: ['POST', '/admin/value-changes'] },
  { key: 'accounts', text: '员工', url: '/staff/accounts/index', needs: ['GET', '/admin/staff'] },
  { key: 'stores', text: '门店', url: '/staff/stores/index', needs: ['PATCH', '/admin/stores/:id'] },
  { key: 'audit', text: '操作日志', url: '/staff/audit/index', needs: ['GET', '/admin/audit'] },
  { key: 'members', text: '会员', url: '/staff/members/index', needs: ['GET', '/admin/members'] },
  { key: 'approvals', text: '调整审批', url: '/staff/approvals/index', needs: ['GET', '/admin/adjustments'] },
  { key: 'imports', text: '批量导入', url: '/staff/imports/index', needs: ['POST', '/admin/adjustments/imports'] },
  { key: 'disputes', text: '积分申诉', url: '/staff/disputes/index', needs: ['GET', '/admin/disputes'] },
  { key: 'agreements', text: '会员协议', url: '/staff/agreements/index', needs: ['POST', '/admin/agreements'] },
]

// Pages reached from another page (not in the bar) that dashboard cards may still link to by key.
const SUB_PAGES: NavItem[] = [{ key: 'reward-edit', text: '编辑商品', url: '/staff/reward-edit/index', needs: ['GET', '/admin/rewards'] }]

const pageOf = (key: string): NavItem | undefined => NAV.find((n) => n.key === key) ?? SUB_PAGES.find((n) => n.key === key)

/** A staff page's URL by its navigation key, with a query (dashboard cards link by key); null for an unknown key. */
export function pageUrl(key: string, query: Record<string, string> = {}): string | null {
  const item = pageOf(key)
  if (!item) return null
  const q = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return q ? `${item.url}?${q}` : item.url
}

/** Whether a role may open a staff page (by the route the page needs). */
export function canOpen(role: StaffRole, key: string): boolean {
  const item = pageOf(key)
  return !!item && roleMay(role, item.needs[0], item.needs[1])
}

const rolesFor = (item: NavItem): StaffRole[] => STAFF_ROLES.filter((r) => roleMay(r, item.needs[0], item.needs[1]))

/** Where a role lands after signing in: its first page. */
export function homeFor(role: StaffRole): string {
  return NAV.find((n) => canOpen(role, n.key))?.url ?? '/staff/login/index'
}

/**
 * The frame of every staff page: who is signed in (and at which store), the pages this role can use, 退出.
 * Content is centred and capped in width so the same pages work on a phone and on a counter/desktop browser.
 */
export function StaffShell({ active, children }: { active: string; children: ReactNode }) {
  const staff = tokenOf('staff') ? staffProfile() : null
  const page = NAV.find((n) => n.key === active)
  const allowed = staff !== null && (!page || canOpen(staff.role, page.key))
  useEffect(() => {
    // No staff session: sign in first (an expired token is caught by request() on the first call).
    if (!staff) void Taro.redirectTo({ url: LOGIN_URL.staff })
  }, [staff])
  const logout = () => {
    logoutStaff()
    void Taro.reLaunch({ url: '/staff/login/index' })
  }
  const items = staff ? NAV.filter((n) => canOpen(staff.role, n.key)) : []
  return (
    <View className='staff'>
      <View className='staff-bar'>
        <View className='staff-bar-inner'>
          <View className='staff-who'>
            <Text className='staff-user jf-staff-user'>{staff?.username ?? '未登录'}</Text>
            {staff ? (
              <Text className='staff-role jf-staff-role'>
                {ROLE_NAMES[staff.role]}
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
            hint={`「${page?.text ?? ''}」仅限${page ? rolesFor(page).map((r) => ROLE_NAMES[r]).join('、') : ''}使用`}
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
