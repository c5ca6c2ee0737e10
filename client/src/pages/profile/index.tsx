import Taro from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { localDay, localYear, pctLabel, type RulesConfig } from '@jifen/shared'
import { getMe, getNotifications, markNotificationsRead, setBirthday, type MeResponse, type NotificationPageResponse } from '../../services/me'
import { getRules } from '../../services/rules'
import { logoutMember } from '../../services/auth'
import { getAgreement } from '../../services/agreement'
import { useResource, type Resource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError, toast } from '../../utils/feedback'
import { formatPoints, localTime } from '../../utils/format'
import { PhoneRow } from './phone-row'
import { SubscribeRow } from './subscribe-row'
import './index.css'

async function load() {
  // The agreement is the one the member accepted (from the database, versioned); the page still shows if it fails.
  const [me, rules, agreement] = await Promise.all([getMe(), getRules(), getAgreement().catch(() => null)])
  return { me, rules, agreement }
}

/** The card shows the latest few notices; 查看更多 pages through the rest. */
const NOTICES_SHOWN = 5

function loadNotices(): Promise<NotificationPageResponse> {
  return getNotifications(null, NOTICES_SHOWN)
}

/** Inline so the dot needs no stylesheet of its own; pxTransform at render time, after Taro is set up. */
function unreadDotStyle() {
  return { width: Taro.pxTransform(14), height: Taro.pxTransform(14), borderRadius: '50%', background: 'var(--color-danger)', marginRight: Taro.pxTransform(12), flex: 'none' }
}

/**
 * 消息: the latest notices, more on demand. Loaded apart from the page so a failure here never hides the
 * profile. Shown means seen, and only what is shown: the unread notices on screen are marked read by id (the
 * dots stay for this visit), and the count says how many unread are left further down, exactly.
 */
function NoticesCard({ notices, tz }: { notices: Resource<NotificationPageResponse>; tz: string }) {
  const first = notices.data
  const [more, setMore] = useState<{ items: NotificationPageResponse['notifications']; nextCursor: number | null } | null>(null)
  const [unread, setUnread] = useState<number | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const marked = useRef(new Set<number>())
  useEffect(() => {
    setMore(null)
    setUnread(first ? first.unread : null)
  }, [first])
  const items = first ? [...first.notifications, ...(more?.items ?? [])] : []
  const nextCursor = more ? more.nextCursor : (first?.nextCursor ?? null)
  const unseen = items.filter((n) => !n.read && !marked.current.has(n.id)).map((n) => n.id)
  useEffect(() => {
    if (unseen.length === 0) return
    for (const id of unseen) marked.current.add(id)
    // Not worth bothering the member about: if this fails they stay unread and are marked on the next show.
    markNotificationsRead(unseen).then((r) => setUnread(r.unread), () => undefined)
  }, [unseen.join(',')])

  const loadMore = async () => {
    if (loadingMore || nextCursor === null) return
    setLoadingMore(true)
    try {
      const page = await getNotifications(nextCursor, NOTICES_SHOWN * 2)
      setMore({ items: [...(more?.items ?? []), ...page.notifications], nextCursor: page.nextCursor })
    } catch (e) {
      void reportError(e, () => void loadMore())
    } finally {
      setLoadingMore(false)
    }
  }

  let content
  if (notices.error && !first) content = <ErrorState error={notices.error} onRetry={() => void notices.reload()} />
  else if (!first) content = <LoadingState />
  else if (items.length === 0) content = <EmptyState title='暂无消息' hint='积分到账、积分即将过期时会在这里提醒你' icon='信' />
  else {
    content = (
      <>
        {items.map((n) => (
          <View key={n.id} className={`rule jf-notice${n.read ? '' : ' jf-notice-unread'}`}>
            <View className='row'>
              {n.read ? null : <View className='jf-notice-dot' style={unreadDotStyle()} />}
              <Text className='grow rule-title'>{n.title}</Text>
              <Text className='muted'>{localTime(n.createdAt, tz)}</Text>
            </View>
            <Text className='rule-text'>{n.body}</Text>
          </View>
        ))}
        {nextCursor !== null ? (
          <View className={`btn btn-plain btn-block jf-notices-more ${loadingMore ? 'is-busy' : ''}`} onClick={() => void loadMore()}>
            {loadingMore ? '加载中…' : unread ? `查看更多(还有 ${unread} 条未读)` : '查看更多'}
          </View>
        ) : null}
      </>
    )
  }
  return (
    <>
      <View className='section-title'>
        <Text>消息</Text>
        {unread ? <Text className='tag tag-brand jf-notices-unread'>{unread} 条未读</Text> : null}
      </View>
      <View className='card jf-notices'>{content}</View>
    </>
  )
}

/** The rules in plain words, every number from GET /rules so the text never goes stale. */
function ruleLines(rules: RulesConfig): { title: string; text: string }[] {
  const tiers = rules.tiers
  const tierText = tiers
    .map((t, i) => {
      const next = tiers[i + 1]
      const range = next ? `${formatPoints(t.minPoints)}–${formatPoints(next.minPoints - 1)} 分` : `${formatPoints(t.minPoints)} 分及以上`
      return `${t.name} ${range}${t.multiplierPct > 100 ? `(消费积分 ${pctLabel(t.multiplierPct)} 倍)` : ''}`
    })
    .join(';')
  const t = rules.tasks
  const year = localYear(new Date(), rules.timezone)
  const expiry =
    rules.expiry.policy === 'yearly'
      ? `每年获得的积分,在第二年的 12 月 31 日 24:00 过期。比如 ${year} 年得到的积分,可以用到 ${year + 1} 年 12 月 31 日。`
      : `每笔积分在获得后 ${rules.expiry.days} 天过期。`
  return [
    { title: '积分值多少钱', text: `${formatPoints(rules.anchor.points)} 积分 = ${rules.anchor.fen / 100} 元,可在「兑换」里换咖啡、代金券和周边。` },
    {
      title: '怎么得积分',
      text: `消费每 1 元得 ${rules.purchase.pointsPerYuan} 分,生日月消费 ${pctLabel(rules.purchase.birthdayMultiplierPct)} 倍;消费积分在 ${rules.purchase.pendingDays} 天退货期后生效。每天签到 ${rules.checkin.points} 分,连续第 ${rules.checkin.bonusEveryDays} 天再奖 ${rules.checkin.bonusPoints} 分。`,
    },
    {
      title: '任务积分',
      text: `评价订单 ${t.review} 分,邀请好友首单后你得 ${t.inviteInviter} 分、好友得 ${t.inviteInvitee} 分,绑定会员卡 ${t.bindCard} 分,分享 ${t.share} 分(每天最多 ${t.shareDailyMax} 次),问卷 ${t.survey} 分。签到和任务积分每月最多 ${formatPoints(rules.nonPurchaseMonthlyCap)} 分。`,
    },
    { title: '会员等级', text: `按最近 ${rules.tierWindowMonths} 个月获得的积分(消费、签到、任务和活动,退款扣回的不算)定级:${tierText}。` },
    { title: '积分过期', text: `${expiry}到期前 ${rules.expiry.reminderDays.join(' 天和 ')} 天会提醒你,先到期的积分先使用。` },
    { title: '规则变动', text: `积分价值如有调整,至少提前 ${rules.valueChangeNoticeDays} 天公告,并对受影响的积分给予补偿。` },
  ]
}


function BirthdayRow({ me, tz, onSet }: { me: MeResponse; tz: string; onSet: () => void }) {
  const [busy, setBusy] = useState(false)
  const birthday = me.member.birthday
  const today = localDay(new Date(), tz)
  const choose = async (value: string) => {
    const ok = await Taro.showModal({
      title: '确认生日',
      content: `生日设置为 ${value}?设置后不可自行修改,生日当月消费可得多倍积分。`,
      confirmText: '确认',
      cancelText: '再想想',
      confirmColor: '#e8541e',
    })
    if (!ok.confirm) return
    setBusy(true)
    try {
      await setBirthday(value)
      toast('生日已设置')
      onSet()
    } catch (e) {
      void reportError(e, () => void choose(value))
    } finally {
      setBusy(false)
    }
  }
  if (birthday) {
    return (
      <View className='menu-item jf-birthday'>
        <Text className='grow'>生日</Text>
        <Text className='menu-value jf-birthday-value'>{birthday}</Text>
        <Text className='tag'>已设置</Text>
      </View>
    )
  }
  return (
    <Picker mode='date' value='1995-01-01' start='1900-01-01' end={today} onChange={(e) => void choose(String(e.detail.value))} disabled={busy}>
      <View className='menu-item jf-birthday jf-birthday-picker'>
        <Text className='grow'>生日</Text>
        <Text className='menu-value link'>{busy ? '保存中…' : '设置生日(仅一次)'}</Text>
        <Text className='menu-arrow'>›</Text>
      </View>
    </Picker>
  )
}

export default function ProfilePage() {
  const r = useResource(load)
  const notices = useResource(loadNotices)
  const [agreementOpen, setAgreementOpen] = useState(false)
  useShowRefresh(() => Promise.all([r.reload(true), notices.reload(true)]))
  if (r.error && !r.data) return <View className='page'><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><LoadingState /></View>
  const { me, rules, agreement } = r.data

  const logout = async () => {
    const ok = await Taro.showModal({ title: '退出登录', content: '确定退出当前会员账号?', confirmColor: '#e8541e' })
    if (!ok.confirm) return
    logoutMember()
    void Taro.reLaunch({ url: '/pages/login/index' })
  }

  return (
    <View className='page profile'>
      <View className='profile-head'>
        <View className='profile-avatar'>{me.member.nickname.slice(0, 1).toUpperCase()}</View>
        <View className='grow'>
          <Text className='profile-name jf-profile-name'>{me.member.nickname}</Text>
          <View className='row'>
            <Text className={`tag tag-brand tier-tag-${me.tier.code}`}>{me.tier.name}会员</Text>
            <Text className='muted profile-id'>会员号 {String(me.member.id).padStart(6, '0')}</Text>
          </View>
        </View>
        <View className='profile-points'>
          <Text className='num profile-points-num'>{formatPoints(me.balance)}</Text>
          <Text className='muted'>积分</Text>
        </View>
      </View>

      <View className='menu'>
        <BirthdayRow me={me} tz={rules.timezone} onSet={() => void r.reload(true)} />
        <PhoneRow phone={me.member.phone} onBound={() => void r.reload(true)} />
        <SubscribeRow rules={rules} />
        <View className='menu-item jf-menu-code' onClick={() => void Taro.navigateTo({ url: '/pages/code/index' })}>
          <Text className='grow'>会员码</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item jf-menu-redemptions' onClick={() => void Taro.navigateTo({ url: '/pages/redemptions/index' })}>
          <Text className='grow'>我的兑换</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item jf-menu-tasks' onClick={() => void Taro.navigateTo({ url: '/pages/tasks/index' })}>
          <Text className='grow'>任务中心</Text>
          <Text className='menu-value'>做任务赚积分</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item jf-menu-disputes' onClick={() => void Taro.navigateTo({ url: '/pages/disputes/index' })}>
          <Text className='grow'>积分申诉</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item jf-menu-coupons' onClick={() => void Taro.navigateTo({ url: '/pages/coupons/index' })}>
          <Text className='grow'>卡券</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
        <View className='menu-item jf-menu-staff' onClick={() => void Taro.navigateTo({ url: '/staff/login/index' })}>
          <Text className='grow'>店员 / 运营入口</Text>
          <Text className='menu-arrow'>›</Text>
        </View>
      </View>

      <NoticesCard notices={notices} tz={rules.timezone} />

      <Text className='section-title'>积分规则</Text>
      <View className='card jf-rules'>
        {ruleLines(rules).map((l) => (
          <View key={l.title} className='rule'>
            <Text className='rule-title'>{l.title}</Text>
            <Text className='rule-text'>{l.text}</Text>
          </View>
        ))}
      </View>

      <View className='card jf-agreement'>
        <View className='row-between' onClick={() => setAgreementOpen(!agreementOpen)}>
          <Text className='rule-title'>{agreement ? `${agreement.title}与${agreement.privacy.title}` : '积分服务协议'}</Text>
          <Text className='link jf-agreement-toggle'>{agreementOpen ? '收起' : '展开'}</Text>
        </View>
        {agreementOpen && agreement ? (
          <View className='agreement'>
            {[`《${agreement.title}》第 ${agreement.version} 版`, ...agreement.body.split('\n'), `《${agreement.privacy.title}》第 ${agreement.privacy.version} 版`, ...agreement.privacy.body.split('\n')]
              .filter((p) => p.trim() !== '')
              .map((p, i) => (
                <Text key={i} className='agreement-p'>
                  {p}
                </Text>
              ))}
          </View>
        ) : null}
      </View>

      {process.env.TARO_ENV === 'h5' ? (
        <View className='btn btn-plain btn-block jf-logout' onClick={() => void logout()}>
          退出登录
        </View>
      ) : null}
    </View>
  )
}
