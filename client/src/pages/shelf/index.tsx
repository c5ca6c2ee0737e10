import Taro from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { RulesConfig } from '@jifen/shared'
import { getShelf, redeem, type RedemptionResult, type RewardDto } from '../../services/rewards'
import { getMe } from '../../services/me'
import { getRules } from '../../services/rules'
import { IdempotentAction, assetUrl } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { Sheet } from '../../components/sheet'
import { handleActionError } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { RewardCard } from '../../components/reward-card'
import { faceValueLabel } from '../../utils/money'
import './index.css'

const QUANTITY_MAX = 10

interface ShelfData {
  rewards: RewardDto[]
  available: number
  rules: RulesConfig
}

async function loadShelf(): Promise<ShelfData> {
  const [rewards, me, rules] = await Promise.all([getShelf(), getMe(), getRules()])
  return { rewards, available: me.available, rules }
}

function tierName(code: string, rules: RulesConfig): string {
  return rules.tiers.find((t) => t.code === code)?.name ?? code
}

function limitLeft(r: RewardDto): number | null {
  return r.perMemberLimit === null ? null : Math.max(0, r.perMemberLimit - r.eligibility.redeemedByMe)
}

function RedeemSheet({ reward, available, onClose, onDone }: { reward: RewardDto; available: number; onClose: () => void; onDone: () => void }) {
  const action = useRef(new IdempotentAction())
  const [quantity, setQuantity] = useState(1)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<RedemptionResult | null>(null)
  const left = limitLeft(reward)
  const max = Math.max(1, Math.min(QUANTITY_MAX, reward.stock, left ?? QUANTITY_MAX, Math.floor(available / reward.pointsPrice)))
  const cost = reward.pointsPrice * quantity
  const after = available - cost

  const confirm = async () => {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      const out = await action.current.run({ rewardId: reward.id, quantity }, (key) => redeem(reward.id, quantity, key))
      setResult(out)
      onDone()
    } catch (e) {
      handleActionError(e, setError, () => void confirm())
    } finally {
      setBusy(false)
    }
  }

  if (result) {
    return (
      <Sheet title='兑换成功' onClose={onClose} className='jf-redeem-result'>
        <View className='result'>
          <View className='result-check'>
            <View className='result-check-mark' />
          </View>
          <Text className='result-title'>{result.redemption.rewardTitle} × {result.redemption.quantity}</Text>
          <Text className='muted'>到店出示取货码领取</Text>
          <View className='pickup'>
            <Text className='pickup-label'>取货码</Text>
            <Text className='pickup-code num jf-pickup-code'>{result.redemption.pickupCode}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>消耗积分</Text>
            <Text className='kv-value num'>-{formatPoints(result.redemption.points)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>积分余额</Text>
            <Text className='kv-value num jf-result-balance'>{formatPoints(result.balance)}</Text>
          </View>
          <View className='sheet-actions'>
            <View className='btn btn-plain grow' onClick={onClose}>
              继续逛逛
            </View>
            <View
              className='btn btn-primary grow jf-goto-redemptions'
              onClick={() => {
                onClose()
                void Taro.navigateTo({ url: '/pages/redemptions/index' })
              }}
            >
              我的兑换
            </View>
          </View>
        </View>
      </Sheet>
    )
  }

  return (
    <Sheet title='确认兑换' onClose={onClose} locked={busy} className='jf-redeem-sheet'>
      <View className='confirm-head'>
        <Image className='confirm-img' src={assetUrl(reward.imageUrl)} mode='aspectFill' />
        <View className='grow'>
          <Text className='confirm-title'>{reward.title}</Text>
          <Text className='muted block'>{reward.description}</Text>
          <Text className='confirm-price num'>{formatPoints(reward.pointsPrice)} 积分</Text>
          {reward.faceValueFen > 0 ? <Text className='muted block jf-confirm-face-value'>{faceValueLabel(reward.faceValueFen)}</Text> : null}
        </View>
      </View>
      <View className='row-between qty'>
        <Text className='kv-key'>数量</Text>
        <View className='stepper'>
          <View className={`stepper-btn jf-qty-minus ${quantity <= 1 ? 'is-disabled' : ''}`} onClick={() => !busy && setQuantity((q) => Math.max(1, q - 1))}>
            −
          </View>
          <Text className='stepper-value num jf-qty'>{quantity}</Text>
          <View className={`stepper-btn jf-qty-plus ${quantity >= max ? 'is-disabled' : ''}`} onClick={() => !busy && setQuantity((q) => Math.min(max, q + 1))}>
            +
          </View>
        </View>
      </View>
      <View className='kv'>
        <Text className='kv-key'>当前可用积分</Text>
        <Text className='kv-value num jf-balance-before'>{formatPoints(available)}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>本次消耗</Text>
        <Text className='kv-value num'>-{formatPoints(cost)}</Text>
      </View>
      <View className='kv kv-total'>
        <Text className='kv-key'>兑换后剩余</Text>
        <Text className={`kv-value num jf-balance-after ${after < 0 ? 'is-negative' : ''}`}>{formatPoints(after)}</Text>
      </View>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View
        className={`btn btn-block jf-redeem-confirm ${after < 0 ? 'is-disabled' : 'btn-primary'} ${busy ? 'is-busy' : ''}`}
        onClick={() => after >= 0 && void confirm()}
      >
        {after < 0 ? '积分不足' : busy ? '兑换中…' : `确认兑换,消耗 ${formatPoints(cost)} 积分`}
      </View>
      <Text className='muted block sheet-note'>兑换成功后凭取货码到店领取;未领取前可在「我的兑换」中取消,积分原路退回。</Text>
    </Sheet>
  )
}

export default function ShelfPage() {
  const r = useResource(loadShelf)
  const [picked, setPicked] = useState<RewardDto | null>(null)
  useShowRefresh(() => r.reload(true))

  const pick = (reward: RewardDto) => {
    if (!reward.eligibility.canRedeem) {
      void Taro.showToast({ title: refusalText(reward, r.data!.rules), icon: 'none' })
      return
    }
    setPicked(reward)
  }

  if (r.error && !r.data) return <View className='page'><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><LoadingState /></View>
  const { rewards, available, rules } = r.data
  return (
    <View className='page shelf'>
      <View className='shelf-head'>
        <View>
          <Text className='muted'>可用积分</Text>
          <Text className='shelf-balance num jf-shelf-balance'>{formatPoints(available)}</Text>
        </View>
        <View className='btn btn-ghost btn-small jf-my-redemptions' onClick={() => void Taro.navigateTo({ url: '/pages/redemptions/index' })}>
          我的兑换 ›
        </View>
      </View>
      {rewards.length === 0 ? (
        <EmptyState title='货架暂时空空' hint='新的好礼正在路上,过几天再来看看' icon='礼' />
      ) : (
        <View className='grid'>
          {rewards.map((reward) => (
            <RewardCard key={reward.id} reward={reward} tierName={(code) => tierName(code, rules)} onPick={pick} />
          ))}
        </View>
      )}
      {picked ? (
        <RedeemSheet
          reward={picked}
          available={available}
          onClose={() => setPicked(null)}
          onDone={() => void r.reload(true)}
        />
      ) : null}
    </View>
  )
}

function refusalText(reward: RewardDto, rules: RulesConfig): string {
  switch (reward.eligibility.reason) {
    case 'TIER_TOO_LOW':
      return `${tierName(reward.minTier ?? '', rules)}及以上会员可兑换`
    case 'INSUFFICIENT_POINTS':
      return `还差积分,需要 ${formatPoints(reward.pointsPrice)} 分`
    case 'OUT_OF_STOCK':
      return '已兑完,敬请期待补货'
    case 'LIMIT_REACHED':
      return `每人限兑 ${reward.perMemberLimit} 件,已达上限`
    default:
      return '暂不可兑换'
  }
}
