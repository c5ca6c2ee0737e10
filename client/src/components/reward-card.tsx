import { View, Text, Image } from '@tarojs/components'
import type { RewardDto } from '@jifen/shared'
import { assetUrl } from '../services/request'
import { formatPoints } from '../utils/format'
import { faceValueLabel } from '../utils/money'
import './reward-card.css'

const REFUSAL: Record<RewardDto['eligibility']['reason'], string> = {
  OK: '兑换',
  INSUFFICIENT_POINTS: '积分不足',
  OUT_OF_STOCK: '已兑完',
  TIER_TOO_LOW: '等级不足',
  LIMIT_REACHED: '已达上限',
}

/**
 * One reward on the member's shelf: picture, title, tier gate and limit, stock, price in points and what it
 * is worth (价值 ¥X). The back office's reward form shows the same card as its live preview.
 */
export function RewardCard({ reward, tierName, onPick }: { reward: RewardDto; tierName: (code: string) => string; onPick?: (r: RewardDto) => void }) {
  const ok = reward.eligibility.canRedeem
  const left = reward.perMemberLimit === null ? null : Math.max(0, reward.perMemberLimit - reward.eligibility.redeemedByMe)
  return (
    <View className={`reward jf-reward ${ok ? '' : 'is-blocked'}`} onClick={() => onPick?.(reward)}>
      <View className='reward-pic'>
        {reward.imageUrl ? <Image className='reward-img jf-reward-img' src={assetUrl(reward.imageUrl)} mode='aspectFill' lazyLoad /> : <View className='reward-img' />}
        {reward.faceValueFen > 0 ? <Text className='reward-face jf-face-value'>{faceValueLabel(reward.faceValueFen)}</Text> : null}
      </View>
      <View className='reward-body'>
        <Text className='reward-title'>{reward.title}</Text>
        <View className='reward-tags'>
          {reward.minTier ? <Text className='tag tag-warning jf-tier-gate'>{tierName(reward.minTier)}及以上</Text> : null}
          {reward.perMemberLimit !== null ? (
            <Text className='tag jf-limit'>
              限 {reward.perMemberLimit} 件{reward.eligibility.redeemedByMe > 0 ? ` · 已换 ${reward.eligibility.redeemedByMe}` : ''}
            </Text>
          ) : null}
        </View>
        <Text className={`reward-stock jf-stock ${reward.stock <= 10 ? 'is-low' : ''}`}>
          {reward.stock === 0 ? '已兑完' : reward.stock <= 10 ? `仅剩 ${reward.stock} 件` : `库存 ${reward.stock}`}
          {left === 0 ? ' · 已达上限' : ''}
        </Text>
        {/* The launch price, struck, on its own line above the price in force (the foot has no room for both). */}
        {reward.originalPointsPrice !== undefined ? (
          <Text className='reward-original num jf-original-price' style={{ textDecoration: 'line-through' }}>
            原价 {formatPoints(reward.originalPointsPrice)} 分
          </Text>
        ) : null}
        <View className='reward-foot'>
          <Text className='reward-price num jf-price'>
            {formatPoints(reward.pointsPrice)}
            <Text className='reward-unit'> 积分</Text>
          </Text>
          <View className={`reward-btn jf-redeem-btn ${ok ? '' : 'is-disabled'}`}>{REFUSAL[reward.eligibility.reason]}</View>
        </View>
      </View>
    </View>
  )
}
