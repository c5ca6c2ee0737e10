import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { RulesConfig } from '@jifen/shared'
import { endCampaign, listCampaigns, type CampaignDto } from '../../services/campaigns'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { ProgressBar } from '../../components/progress-bar'
import { reportError, toast } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import './index.css'

const STATUS: Record<CampaignDto['status'], { text: string; tag: string }> = {
  scheduled: { text: '未开始', tag: 'tag-info' },
  running: { text: '进行中', tag: 'tag-success' },
  ended: { text: '已结束', tag: '' },
}

const CHANNEL: Record<CampaignDto['channels'][number], string> = { purchase: '消费', checkin: '签到' }

async function load() {
  const [campaigns, rules] = await Promise.all([listCampaigns(), getRules()])
  return { campaigns, rules }
}

/** 'YYYY-MM-DDTHH:mm' -> 'MM-DD HH:mm'. */
function shortLocal(local: string): string {
  return local.replace('T', ' ').slice(5)
}

function Row({ c, rules, onChanged }: { c: CampaignDto; rules: RulesConfig; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  const status = STATUS[c.status]
  const tiers = c.tiers.length === 0 ? '全部等级' : c.tiers.map((t) => rules.tiers.find((x) => x.code === t)?.name ?? t).join('、')
  const usedPct = c.budgetPoints > 0 ? Math.floor((c.issuedPoints * 100) / c.budgetPoints) : 0
  const end = async () => {
    const ok = await Taro.showModal({ title: '结束活动', content: `立即结束「${c.name}」?结束后不可恢复、不可再编辑。`, confirmText: '立即结束', confirmColor: '#d93026' })
    if (!ok.confirm) return
    setBusy(true)
    try {
      await endCampaign(c.id)
      toast('活动已结束')
      onChanged()
    } catch (e) {
      void reportError(e, () => void end())
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`card campaign-row jf-campaign-row is-${c.status}`}>
      <View className='row-between'>
        <View className='row grow'>
          <Text className='campaign-row-mult num'>{c.multiplier}×</Text>
          <Text className='campaign-row-name jf-campaign-name'>{c.name}</Text>
        </View>
        <Text className={`tag ${status.tag} jf-campaign-status`}>{status.text}</Text>
      </View>
      <View className='campaign-row-meta'>
        <Text className='muted block'>
          {shortLocal(c.startsAtLocal)} — {shortLocal(c.endedAtLocal ?? c.endsAtLocal)}(北京时间){c.endedAtLocal ? ' · 提前结束' : ''}
        </Text>
        <Text className='muted block'>
          {tiers} · {c.storeIds.length === 0 ? '全部门店' : `${c.storeIds.length} 家门店`} · {c.channels.map((x) => CHANNEL[x]).join('、')} ·{' '}
          {c.stacksWithTier ? '与等级加成叠加' : '与等级加成取高'}
        </Text>
      </View>
      <View className='row-between campaign-budget'>
        <Text className='muted'>
          预算 <Text className='num jf-campaign-issued'>{formatPoints(c.issuedPoints)}</Text> / {formatPoints(c.budgetPoints)} 分
        </Text>
        <Text className='muted num'>{usedPct}%</Text>
      </View>
      <ProgressBar pct={usedPct} />
      {c.status !== 'ended' ? (
        <View className='campaign-actions'>
          <View className='btn btn-plain btn-small jf-campaign-edit' onClick={() => void Taro.navigateTo({ url: `/staff/campaign-edit/index?id=${c.id}` })}>
            编辑
          </View>
          <View className={`btn btn-danger btn-small jf-campaign-end ${busy ? 'is-busy' : ''}`} onClick={() => !busy && void end()}>
            {busy ? '结束中…' : '结束活动'}
          </View>
        </View>
      ) : null}
    </View>
  )
}

function CampaignsPageBody() {
  const r = useResource(load)
  useShowRefresh(() => r.reload(true))
  return (
    <>
      <View className='row-between campaigns-head'>
        <Text className='staff-card-title'>营销活动</Text>
        <View className='btn btn-primary btn-small jf-campaign-new' onClick={() => void Taro.navigateTo({ url: '/staff/campaign-edit/index' })}>
          + 新建活动
        </View>
      </View>
      {r.error && !r.data ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !r.data ? (
        <LoadingState />
      ) : r.data.campaigns.length === 0 ? (
        <EmptyState title='还没有活动' hint='创建一个限时多倍积分活动,例如周六 10:00–22:00 双倍积分' icon='×2' />
      ) : (
        <View className='campaign-grid'>
          {r.data.campaigns.map((c) => (
            <Row key={c.id} c={c} rules={r.data!.rules} onChanged={() => void r.reload(true)} />
          ))}
        </View>
      )}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function CampaignsPage() {
  return (
    <StaffShell active='campaigns'>
      <CampaignsPageBody />
    </StaffShell>
  )
}
