import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { cancelRedemption, getMyRedemptions, type RedemptionDto } from '../../services/rewards'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { BackLink } from '../../components/back-link'
import { reportError, toast } from '../../utils/feedback'
import { formatPoints, localTime } from '../../utils/format'
import './index.css'

const STATUS: Record<RedemptionDto['status'], { text: string; tag: string }> = {
  AWAITING_PICKUP: { text: '待领取', tag: 'tag-brand' },
  FULFILLED: { text: '已领取', tag: 'tag-success' },
  CANCELLED: { text: '已取消', tag: '' },
}

async function load() {
  const [redemptions, rules] = await Promise.all([getMyRedemptions(), getRules()])
  return { redemptions, tz: rules.timezone }
}

function Item({ r, tz, onCancelled }: { r: RedemptionDto; tz: string; onCancelled: () => void }) {
  const [busy, setBusy] = useState(false)
  const cancel = async () => {
    if (busy) return
    const ok = await Taro.showModal({
      title: '取消兑换',
      content: `取消「${r.rewardTitle}」后,${formatPoints(r.points)} 积分将退回你的账户。`,
      confirmText: '确认取消',
      cancelText: '再想想',
      confirmColor: '#d93026',
    })
    if (!ok.confirm) return
    setBusy(true)
    try {
      const out = await cancelRedemption(r.id)
      toast(`已取消,${formatPoints(out.redemption.points)} 积分已退回`)
      onCancelled()
    } catch (e) {
      void reportError(e, () => void cancel())
    } finally {
      setBusy(false)
    }
  }
  const status = STATUS[r.status]
  return (
    <View className={`card redemption jf-redemption is-${r.status.toLowerCase()}`}>
      <View className='row-between'>
        <Text className='redemption-title'>
          {r.rewardTitle}
          {r.quantity > 1 ? ` × ${r.quantity}` : ''}
        </Text>
        <Text className={`tag ${status.tag} jf-redemption-status`}>{status.text}</Text>
      </View>
      <View className='row-between redemption-mid'>
        <View>
          <Text className='muted block'>取货码</Text>
          <Text className={`redemption-code num jf-redemption-code ${r.status === 'AWAITING_PICKUP' ? '' : 'is-dim'}`}>{r.pickupCode}</Text>
        </View>
        <Text className='redemption-points num'>-{formatPoints(r.points)} 分</Text>
      </View>
      <View className='row-between'>
        <Text className='muted'>
          {r.status === 'FULFILLED' && r.fulfilledAt
            ? `领取于 ${localTime(r.fulfilledAt, tz)}`
            : r.status === 'CANCELLED' && r.cancelledAt
              ? `取消于 ${localTime(r.cancelledAt, tz)},积分已退回`
              : `兑换于 ${localTime(r.createdAt, tz)}`}
        </Text>
        {r.status === 'AWAITING_PICKUP' ? (
          <View className={`btn btn-danger btn-small jf-cancel-btn ${busy ? 'is-busy' : ''}`} onClick={() => void cancel()}>
            {busy ? '取消中…' : '取消兑换'}
          </View>
        ) : null}
      </View>
    </View>
  )
}

export default function RedemptionsPage() {
  const r = useResource(load)
  if (r.error && !r.data) {
    return (
      <View className='page'>
        <BackLink />
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      </View>
    )
  }
  if (!r.data) {
    return (
      <View className='page'>
        <BackLink />
        <LoadingState />
      </View>
    )
  }
  const { redemptions, tz } = r.data
  return (
    <View className='page'>
      <BackLink />
      {redemptions.length === 0 ? (
        <EmptyState
          title='还没有兑换记录'
          hint='用积分换杯咖啡吧'
          icon='礼'
          action={
            <View className='btn btn-primary btn-small' onClick={() => void Taro.switchTab({ url: '/pages/shelf/index' })}>
              去兑换
            </View>
          }
        />
      ) : (
        redemptions.map((x) => <Item key={x.id} r={x} tz={tz} onCancelled={() => void r.reload(true)} />)
      )}
    </View>
  )
}
