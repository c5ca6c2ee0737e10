import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { formatYuan, streakStrip, type RulesConfig } from '@jifen/shared'
import { getMe, checkIn, type MeResponse } from '../../services/me'
import { getRules } from '../../services/rules'
import { getActiveCampaigns, type ActiveCampaignDto } from '../../services/campaigns'
import { getMyValueChanges, type MemberValueChangesResponse } from '../../services/economics'
import { ApiError, showWelcome } from '../../services/request'
import { getAgreement } from '../../services/agreement'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { ErrorState, Skeleton } from '../../components/state-view'
import { StreakStrip } from '../../components/streak-strip'
import { Tier } from './tier-card'
import { formatPoints, lastDayLabel, localTime } from '../../utils/format'
import { reportError, toast } from '../../utils/feedback'
import './index.css'

interface HomeData {
  me: MeResponse
  rules: RulesConfig
  campaigns: ActiveCampaignDto[]
  changes: MemberValueChangesResponse | null
}

async function loadHome(): Promise<HomeData> {
  // The banner and the change notice are extra: if they cannot load, the member still sees their points.
  const [me, rules, campaigns, agreement, changes] = await Promise.all([
    getMe(),
    getRules(),
    getActiveCampaigns().catch(() => []),
    getAgreement().catch(() => null),
    getMyValueChanges().catch(() => null),
  ])
  // A new member (or a new version of the agreement): the welcome screen comes first.
  if (agreement?.required) showWelcome()
  return { me, rules, campaigns, changes }
}

/** 规则变更预告: each announced change with its date, what changes, and what it means for this balance. */
function ChangeNotice({ changes, tz }: { changes: MemberValueChangesResponse | null; tz: string }) {
  if (!changes || changes.upcoming.length === 0) return null
  return (
    <View className='card change-notice jf-change-notice'>
      <View className='row-between'>
        <Text className='card-title'>规则变更预告</Text>
        <Text className='link jf-health-link' onClick={() => void Taro.navigateTo({ url: '/pages/health-report/index' })}>
          积分健康报告 ›
        </Text>
      </View>
      {changes.upcoming.map((c) => (
        <View key={c.id} className='change-item jf-change-item'>
          <Text className='change-title'>
            {c.title} · <Text className='change-date jf-change-date'>{localTime(c.effectiveAt, tz, 'YYYY年M月D日')}起生效</Text>
          </Text>
          {c.changes.map((line) => (
            <Text key={line} className='change-line block jf-change-line'>
              {line}
            </Text>
          ))}
          <Text className='muted block'>原因:{c.reason}</Text>
          {c.compensationPointsEstimate !== null && c.compensationPointsEstimate > 0 ? (
            <Text className='change-comp block jf-change-comp'>
              按您当前余额,生效时将补偿约 <Text className='num'>{formatPoints(c.compensationPointsEstimate)}</Text> 分,余额价值保持约 ¥{formatYuan(c.balanceWorthFenAfter ?? 0)}
            </Text>
          ) : (
            <Text className='muted block'>您已获得的积分不受影响。</Text>
          )}
        </View>
      ))}
    </View>
  )
}

function Hero({ me }: { me: MeResponse }) {
  return (
    <View className='hero'>
      <View className='row-between'>
        <View className='row'>
          <Text className='hero-hello'>你好,{me.member.nickname}</Text>
          <Text className={`hero-tier jf-tier-name tier-${me.tier.code}`}>{me.tier.name}会员</Text>
        </View>
        <View className='hero-code jf-code-entry' onClick={() => void Taro.navigateTo({ url: '/pages/code/index' })}>
          <View className='hero-code-icon'>
            <View className='qr-glyph' />
          </View>
          <Text>会员码</Text>
        </View>
      </View>
      <Text className='hero-label'>积分余额</Text>
      <Text className='hero-balance num jf-balance'>{formatPoints(me.balance)}</Text>
      {/* The server's figure: what the points usable now are worth (pending points are not spendable yet). */}
      <Text className='hero-worth jf-worth'>约值 ¥{formatYuan(me.worthFen)}</Text>
      <View className='hero-split'>
        <View className='hero-split-item'>
          <Text className='hero-split-num num jf-available'>{formatPoints(me.available)}</Text>
          <Text className='hero-split-label'>可用积分</Text>
        </View>
        <View className='hero-split-item'>
          <Text className='hero-split-num num jf-pending'>{formatPoints(me.pending)}</Text>
          <Text className='hero-split-label'>待生效</Text>
        </View>
        <View className='hero-split-item'>
          <Text className='hero-split-num num'>{formatPoints(me.expiring.reduce((s, e) => s + e.points, 0))}</Text>
          <Text className='hero-split-label'>即将过期</Text>
        </View>
      </View>
    </View>
  )
}

function CampaignBanner({ campaigns, tz }: { campaigns: ActiveCampaignDto[]; tz: string }) {
  if (campaigns.length === 0) return null
  return (
    <View className='campaigns'>
      {campaigns.map((c) => (
        <View key={c.id} className='campaign jf-campaign-banner'>
          <View className='campaign-badge num'>{c.multiplier}倍</View>
          <View className='grow'>
            <Text className='campaign-name'>{c.name}</Text>
            <Text className='campaign-meta'>
              {c.channels.includes('purchase') ? '消费' : ''}
              {c.channels.length > 1 ? '、' : ''}
              {c.channels.includes('checkin') ? '签到' : ''}
              {` ${c.multiplier} 倍积分 · ${c.allStores ? '全部门店' : c.stores.map((s) => s.name).join('、')} · 截至 ${localTime(c.endsAt, tz, 'M月D日 HH:mm')}`}
            </Text>
          </View>
        </View>
      ))}
    </View>
  )
}

function Expiring({ me, rules }: { me: MeResponse; rules: RulesConfig }) {
  if (me.expiring.length === 0) return null
  return (
    <View className='card expiring jf-expiring'>
      <View className='row-between'>
        <Text className='card-title'>积分即将过期</Text>
        <Text className='link' onClick={() => void Taro.switchTab({ url: '/pages/shelf/index' })}>
          去兑换 ›
        </Text>
      </View>
      {me.expiring.map((e) => (
        <View key={e.expiresAt} className='expiring-line jf-expiring-line'>
          <Text className='expiring-points num'>{formatPoints(e.points)}</Text>
          <Text> 分将于 {lastDayLabel(e.expiresAt, rules.timezone)} 过期, </Text>
          <Text className={e.daysLeft <= 7 ? 'expiring-days is-urgent' : 'expiring-days'}>还剩 {e.daysLeft} 天</Text>
        </View>
      ))}
    </View>
  )
}

function Checkin({ me, rules, onDone }: { me: MeResponse; rules: RulesConfig; onDone: () => Promise<void> }) {
  const [busy, setBusy] = useState(false)
  const done = me.checkin.checkedInToday
  const run = async () => {
    if (busy || done) return
    setBusy(true)
    try {
      const out = await checkIn()
      toast(out.bonus > 0 ? `签到成功 +${out.points} 分(含连签奖励 ${out.bonus} 分)` : `签到成功 +${out.points} 分`)
      await onDone()
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ALREADY_CHECKED_IN') await onDone()
      void reportError(e, () => void run())
    } finally {
      setBusy(false)
    }
  }
  const next = streakStrip(me.checkin.streak, done, rules).find((d) => d.today)?.points ?? rules.checkin.points
  return (
    <View className='card'>
      <View className='row-between'>
        <Text className='card-title'>每日签到</Text>
        <Text className='muted'>
          已连续签到 <Text className='streak-count num jf-streak-count'>{me.checkin.streak}</Text> 天
        </Text>
      </View>
      <StreakStrip streak={me.checkin.streak} checkedInToday={done} rules={rules} />
      <View
        className={`btn btn-block jf-checkin-btn ${done ? 'is-disabled is-done' : 'btn-primary'} ${busy ? 'is-busy' : ''}`}
        onClick={() => void run()}
      >
        {done ? '今日已签到,明天再来' : busy ? '签到中…' : `立即签到 +${next} 分`}
      </View>
      <Text className='muted checkin-note'>
        每天签到得 {rules.checkin.points} 分,连续第 {rules.checkin.bonusEveryDays} 天额外奖励 {rules.checkin.bonusPoints} 分
      </Text>
    </View>
  )
}

/**
 * Pending lots grouped by when they become usable (summed), like the expiring points: a purchase during a campaign
 * leaves two lots (base and campaign bonus) activating at the same moment, which the member sees as one line.
 * The key is the time as shown, so two lots that read the same are never listed twice.
 */
function pendingGroups(lots: MeResponse['pendingLots'], tz: string): { label: string; points: number }[] {
  const groups = new Map<string, number>()
  for (const l of [...lots].sort((a, b) => Date.parse(a.activatesAt) - Date.parse(b.activatesAt))) {
    const label = localTime(l.activatesAt, tz, 'M月D日 HH:mm')
    groups.set(label, (groups.get(label) ?? 0) + l.points)
  }
  return [...groups.entries()].map(([label, points]) => ({ label, points }))
}

function Pending({ me, rules }: { me: MeResponse; rules: RulesConfig }) {
  if (me.pendingLots.length === 0) return null
  return (
    <View className='card jf-pending-card'>
      <Text className='card-title'>待生效积分</Text>
      <Text className='muted block'>消费积分在 {rules.purchase.pendingDays} 天退货期后可用</Text>
      {pendingGroups(me.pendingLots, rules.timezone).map((p) => (
        <View key={p.label} className='kv jf-pending-line'>
          <Text className='kv-key'>{p.label} 起可用</Text>
          <Text className='kv-value num'>{formatPoints(p.points)} 分</Text>
        </View>
      ))}
    </View>
  )
}

export default function HomePage() {
  const r = useResource(loadHome)
  useShowRefresh(() => r.reload(true))
  if (r.error && !r.data) {
    return (
      <View className='page'>
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      </View>
    )
  }
  if (!r.data) {
    return (
      <View className='page'>
        <Skeleton heights={[400, 340, 220]} />
      </View>
    )
  }
  const { me, rules, campaigns, changes } = r.data
  return (
    <View className='page home'>
      <Hero me={me} />
      <ChangeNotice changes={changes} tz={rules.timezone} />
      <CampaignBanner campaigns={campaigns} tz={rules.timezone} />
      <Expiring me={me} rules={rules} />
      <Checkin me={me} rules={rules} onDone={() => r.reload(true)} />
      <View className='card home-tasks jf-home-tasks' onClick={() => void Taro.navigateTo({ url: '/pages/tasks/index' })}>
        <View className='row-between'>
          <View>
            <Text className='card-title block'>任务中心</Text>
            <Text className='muted block'>
              评价订单 +{rules.tasks.review} · 绑卡 +{rules.tasks.bindCard} · 问卷 +{rules.tasks.survey} · 邀请好友 +{rules.tasks.inviteInviter}
            </Text>
          </View>
          <Text className='link'>去赚积分 ›</Text>
        </View>
      </View>
      <Tier me={me} rules={rules} />
      <Pending me={me} rules={rules} />
    </View>
  )
}
