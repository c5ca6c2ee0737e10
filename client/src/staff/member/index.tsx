import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { formatYuan, type LedgerCode, type RulesConfig } from '@jifen/shared'
import { getMemberDetail, getMemberLedger, type AdminLedgerEntryDto, type MemberDetailResponse } from '../../services/members-admin'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { reportError } from '../../utils/feedback'
import { formatDelta, formatPoints, localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { AdjustForm } from './adjust-form'
import { ADJ_STATUS } from '../components/adjustment-status'
import '../components/backoffice.css'

const CODE: Record<LedgerCode, string> = {
  EARN_PURCHASE: '消费',
  EARN_CHECKIN: '签到',
  EARN_TASK: '任务',
  EARN_CAMPAIGN_BONUS: '活动',
  REDEEM: '兑换',
  REFUND_REVERSAL: '退款扣回',
  REDEEM_CANCEL: '兑换退回',
  EXPIRE: '过期',
  ADJUST: '调整',
  COMPENSATION: '补偿',
  DONATE: '捐赠',
}
const LOT_STATE = { active: { text: '可用', tag: 'tag-success' }, pending: { text: '待生效', tag: 'tag-info' }, expired: { text: '已过期', tag: '' } } as const
const REDEMPTION = { AWAITING_PICKUP: '待领取', FULFILLED: '已核销', CANCELLED: '已取消' } as const

/** 'staff:12' -> '员工#12', 'system' etc. as they are. */
function actorLabel(actor: string): string {
  const m = /^staff:(\d+)$/.exec(actor)
  return m ? `员工#${m[1]}` : actor
}

function Ledger({ memberId, first, tz }: { memberId: number; first: MemberDetailResponse['ledger']; tz: string }) {
  const [pages, setPages] = useState<{ entries: AdminLedgerEntryDto[]; nextCursor: number | null } | null>(null)
  const [busy, setBusy] = useState(false)
  const shown = pages ?? first
  const more = async () => {
    if (busy || !shown.nextCursor) return
    setBusy(true)
    try {
      const next = await getMemberLedger(memberId, shown.nextCursor)
      setPages({ entries: [...shown.entries, ...next.entries], nextCursor: next.nextCursor })
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card jf-member-ledger'>
      <Text className='staff-card-title'>积分明细</Text>
      {shown.entries.length === 0 ? <Text className='muted'>还没有积分记录</Text> : null}
      {shown.entries.map((e) => (
        <View key={e.id} className={`bo-row jf-ledger-row jf-code-${e.code}`}>
          <View className='bo-row-main'>
            <Text className='bo-row-title jf-ledger-reason'>
              <Text className='tag'>{CODE[e.code]}</Text> {e.reason}
            </Text>
            <Text className='bo-row-sub'>
              {localTime(e.createdAt, tz)} · 余额 {formatPoints(e.balanceAfter)} · {actorLabel(e.actor)}
            </Text>
          </View>
          <Text className={`bo-row-num num jf-ledger-delta ${e.delta > 0 ? 'bo-plus' : 'bo-minus'}`}>{formatDelta(e.delta)}</Text>
        </View>
      ))}
      {shown.nextCursor ? (
        <View className={`btn btn-plain btn-block bo-more jf-ledger-more ${busy ? 'is-busy' : ''}`} onClick={() => void more()}>
          {busy ? '加载中…' : '加载更多'}
        </View>
      ) : null}
    </View>
  )
}

/** Lots shown before 展开全部: a member with a year of daily check-ins has hundreds of 1-point lots. */
const LOTS_FOLDED = 6

function Body({ d, rules, reload }: { d: MemberDetailResponse; rules: RulesConfig; reload: () => void }) {
  const [allLots, setAllLots] = useState(false)
  const tz = rules.timezone
  const { member, account, tier } = d
  return (
    <>
      <View className='card jf-member-head'>
        <View className='row-between'>
          <View>
            <Text className='bo-row-title jf-member-name'>{member.nickname}</Text>
            <Text className='bo-row-sub'>
              会员号 <Text className='num jf-member-number'>{member.number}</Text> · 手机 <Text className='num jf-member-phone'>{member.phone ?? '未绑定'}</Text> · openid{' '}
              <Text className='num'>{member.openid}</Text>
            </Text>
          </View>
          <Text className={`tag tag-brand tier-tag-${tier.code} jf-member-tier`}>{tier.name}会员</Text>
        </View>
        <View className='bo-stats'>
          <View>
            <Text className='bo-stat-label'>余额</Text>
            <Text className='bo-big num jf-member-balance'>{formatPoints(account.balance)}</Text>
          </View>
          <View>
            <Text className='bo-stat-label'>可用</Text>
            <Text className='bo-stat-value num jf-member-available'>{formatPoints(account.available)}</Text>
          </View>
          <View>
            <Text className='bo-stat-label'>待生效</Text>
            <Text className='bo-stat-value num'>{formatPoints(account.pending)}</Text>
          </View>
          <View>
            <Text className='bo-stat-label'>欠分</Text>
            <Text className={`bo-stat-value num jf-member-debt ${account.debt > 0 ? 'bo-minus' : ''}`}>{formatPoints(account.debt)}</Text>
          </View>
          <View>
            <Text className='bo-stat-label'>价值</Text>
            <Text className='bo-stat-value num'>¥{formatYuan(account.worthFen)}</Text>
          </View>
          <View>
            <Text className='bo-stat-label'>定级积分</Text>
            <Text className='bo-stat-value num'>{formatPoints(tier.qualifyingPoints)}</Text>
          </View>
        </View>
        {tier.next && tier.pointsToNext !== null ? <Text className='muted block'>再得 {formatPoints(tier.pointsToNext)} 分升级{tier.next.name}</Text> : null}
        <TierYear tier={tier} tz={tz} />
      </View>

      <View className='staff-columns'>
        <View className='staff-col bo-wide'>
          <View className='card jf-member-lots'>
            <Text className='staff-card-title'>积分批次(先到期先使用)</Text>
            {d.lots.length === 0 ? <Text className='muted'>没有剩余积分</Text> : null}
            {(allLots ? d.lots : d.lots.slice(0, LOTS_FOLDED)).map((l) => (
              <View key={l.id} className='bo-row jf-lot-row'>
                <View className='bo-row-main'>
                  <Text className='bo-row-title num'>
                    {formatPoints(l.remaining)} / {formatPoints(l.amount)}
                  </Text>
                  <Text className='bo-row-sub'>
                    {localTime(l.earnedAt, tz, 'YYYY-MM-DD')} 获得 · {localTime(l.expiresAt, tz, 'YYYY-MM-DD HH:mm')} 过期
                    {l.state === 'pending' ? ` · ${localTime(l.activatesAt, tz, 'MM-DD HH:mm')} 生效` : ''}
                  </Text>
                </View>
                <Text className={`tag ${LOT_STATE[l.state].tag}`}>{LOT_STATE[l.state].text}</Text>
              </View>
            ))}
            {d.lots.length > LOTS_FOLDED ? (
              <View className='btn btn-plain btn-block bo-more jf-lots-toggle' onClick={() => setAllLots(!allLots)}>
                {allLots ? '收起' : `展开全部 ${d.lots.length} 批`}
              </View>
            ) : null}
          </View>

          <Ledger memberId={member.id} first={d.ledger} tz={tz} />
        </View>

        <View className='staff-col bo-act-first'>
          {d.viewer.canAdjust ? <AdjustForm detail={d} rules={rules} onDone={reload} /> : null}

          <View className='card jf-member-adjustments'>
            <Text className='staff-card-title'>调整记录</Text>
            {d.adjustments.length === 0 ? <Text className='muted'>没有调整记录</Text> : null}
            {d.adjustments.map((a) => (
              <View key={a.id} className='bo-row jf-member-adjustment'>
                <View className='bo-row-main'>
                  <Text className='bo-row-title'>{a.reason}</Text>
                  <Text className='bo-row-sub'>
                    {localTime(a.createdAt, tz)} · {a.requestedBy.username}
                    {a.decidedBy ? ` · ${a.decidedBy.username} ${a.status === 'applied' ? '批准' : '驳回'}` : ''}
                  </Text>
                </View>
                <Text className={`tag ${ADJ_STATUS[a.status].tag}`}>{ADJ_STATUS[a.status].text}</Text>
                <Text className={`bo-row-num num ${a.points > 0 ? 'bo-plus' : 'bo-minus'}`}>{formatDelta(a.points)}</Text>
              </View>
            ))}
          </View>

          <View className='card jf-member-redemptions'>
            <Text className='staff-card-title'>兑换记录</Text>
            {d.redemptions.length === 0 ? <Text className='muted'>没有兑换</Text> : null}
            {d.redemptions.map((r) => (
              <View key={r.id} className='bo-row'>
                <View className='bo-row-main'>
                  <Text className='bo-row-title'>
                    {r.rewardTitle} × {r.quantity}
                  </Text>
                  <Text className='bo-row-sub'>
                    {localTime(r.createdAt, tz)} · 取货码 {r.pickupCode} · {REDEMPTION[r.status]}
                  </Text>
                </View>
                <Text className='bo-row-num num bo-minus'>-{formatPoints(r.points)}</Text>
              </View>
            ))}
          </View>

          <View className='card jf-member-notices'>
            <Text className='staff-card-title'>消息</Text>
            {d.notices.length === 0 ? <Text className='muted'>没有消息</Text> : null}
            {d.notices.map((n) => (
              <View key={n.id} className='bo-row'>
                <View className='bo-row-main'>
                  <Text className='bo-row-title'>{n.title}</Text>
                  <Text className='bo-row-sub'>
                    {localTime(n.createdAt, tz)} · {n.body}
                  </Text>
                </View>
              </View>
            ))}
          </View>
        </View>
      </View>
    </>
  )
}

/** Back to the search (with its results) when it is the previous page, else a fresh search page. */
function backToSearch(): void {
  const pages = Taro.getCurrentPages()
  if (pages.length > 1) void Taro.navigateBack()
  else void Taro.redirectTo({ url: '/staff/members/index' })
}

async function load(id: number) {
  const [detail, rules] = await Promise.all([getMemberDetail(id), getRules()])
  return { detail, rules }
}

/** 保级 (issue 11.4): the stored tier since when, its review date, and the tier year's points against what keeps it. */
function TierYear({ tier, tz }: { tier: MemberDetailResponse['tier']; tz: string }) {
  const day = (iso: string) => localTime(iso, tz, 'YYYY-MM-DD')
  return (
    <View className='jf-member-tier-year'>
      <Text className='muted block'>
        {tier.name}会员 · 自 <Text className='num jf-member-tier-since'>{day(tier.since)}</Text>
        {tier.recorded ? '' : '(按规则推算,待定级任务记录)'}
        {tier.reviewAt ? (
          <>
            {' '}
            · 复核日 <Text className='num jf-member-tier-review'>{day(tier.reviewAt)}</Text>
          </>
        ) : (
          ' · 基础等级,无需保级'
        )}
      </Text>
      {tier.keepPoints !== null ? (
        <Text className={`block jf-member-tier-keep ${tier.yearPoints >= tier.keepPoints ? '' : 'bo-minus'}`}>
          本年度定级积分 <Text className='num jf-member-year-points'>{formatPoints(tier.yearPoints)}</Text> / 保级线{' '}
          <Text className='num jf-member-keep-points'>{formatPoints(tier.keepPoints)}</Text>
          {tier.yearPoints >= tier.keepPoints ? ' · 已达保级线' : ` · 还差 ${formatPoints(tier.keepPoints - tier.yearPoints)} 分`}
        </Text>
      ) : null}
    </View>
  )
}

/** 会员详情: account, tier, lots with expiry, ledger, adjustments, redemptions, notices, and the adjustment form. */
function MemberPageBody() {
  const { params } = useRouter()
  const id = params.id && /^\d{1,10}$/.test(params.id) ? Number(params.id) : 0
  const r = useResource(() => load(id), [id])
  return (
    <>
      <Text className='link block jf-member-back' onClick={backToSearch}>
        ‹ 会员查询
      </Text>
      {r.error && !r.data ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : !r.data ? <LoadingState /> : <Body d={r.data.detail} rules={r.data.rules} reload={() => void r.reload(true)} />}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function MemberPage() {
  return (
    <StaffShell active='members'>
      <MemberPageBody />
    </StaffShell>
  )
}
