import { View, Text, Input } from '@tarojs/components'
import { formatYuan, maxPointsForOrder, planPointsPayment, pointsToFen, type RulesConfig, type TillMemberResponse } from '@jifen/shared'
import { formatPoints } from '../../utils/format'
import { pointsField } from '../../utils/input'

export interface PointsPlan {
  /** Points to send (0 = cash only); null while the field is invalid. */
  pointsToUse: number | null
  /** What is left to pay in cash (fen), when the amount is known. */
  cashFen: number | null
  problem: string | null
}

/**
 * Points at the till (积分抵扣, issue 11.7): the scanned member's spendable points, the most this order may take
 * (the configured share, at the anchor), and the amount left to pay once the points are used. Pure rules from
 * @jifen/shared, the same the server applies.
 */
export function planFor(rules: RulesConfig, amountFen: number | null, pointsText: string, member: TillMemberResponse | null): PointsPlan {
  const field = pointsField(pointsText)
  if (field.hint) return { pointsToUse: null, cashFen: null, problem: field.hint }
  const points = field.points ?? 0
  if (amountFen === null) return { pointsToUse: points, cashFen: null, problem: null }
  if (points === 0) return { pointsToUse: 0, cashFen: amountFen, problem: null }
  if (member && points > member.spendablePoints) return { pointsToUse: null, cashFen: null, problem: `会员可用积分只有 ${formatPoints(member.spendablePoints)}` }
  const plan = planPointsPayment(amountFen, points, rules)
  if (!plan.ok) {
    return { pointsToUse: null, cashFen: null, problem: plan.reason === 'SHARE_EXCEEDED' ? `本单最多可用 ${formatPoints(plan.maxPoints)} 积分(订单金额的 ${rules.till.pointsShareMaxPct}%)` : `积分须为 ${plan.step} 的倍数` }
  }
  return { pointsToUse: points, cashFen: plan.cashFen, problem: null }
}

export function PointsPanel(props: {
  rules: RulesConfig
  amountFen: number | null
  member: TillMemberResponse | null
  lookupError: string | null
  pointsText: string
  onPointsText: (t: string) => void
  plan: PointsPlan
}) {
  const { rules, amountFen, member, plan } = props
  const maxForOrder = amountFen !== null ? maxPointsForOrder(amountFen, rules) : null
  const usable = member && maxForOrder !== null ? Math.min(member.spendablePoints, maxForOrder) : null
  return (
    <View className='points-panel jf-points-panel'>
      <View className='row-between'>
        <Text className='field-label'>积分抵扣(100 积分 = ¥{formatYuan(pointsToFen(100, rules.anchor))})</Text>
        {member ? (
          <Text className='muted jf-spendable'>
            {member.member.nickname} · 可用 <Text className='num jf-spendable-points'>{formatPoints(member.spendablePoints)}</Text> 积分
          </Text>
        ) : (
          <Text className='muted'>{props.lookupError ?? '输入会员码后显示可用积分'}</Text>
        )}
      </View>
      <View className='input-with-btn'>
        <Input
          className={`field-input num jf-points-input ${plan.problem ? 'is-invalid' : ''}`}
          value={props.pointsText}
          placeholder='不使用积分请留空'
          maxlength={-1}
          onInput={(e) => props.onPointsText(e.detail.value)}
        />
        {usable !== null && usable > 0 ? (
          <View className='btn btn-plain jf-points-max' onClick={() => props.onPointsText(String(usable))}>
            用 {formatPoints(usable)}
          </View>
        ) : null}
      </View>
      {plan.problem ? <Text className='field-hint is-error jf-points-hint'>{plan.problem}</Text> : null}
      {maxForOrder !== null ? <Text className='field-hint'>本单最多可用 {formatPoints(maxForOrder)} 积分(订单金额的 {rules.till.pointsShareMaxPct}%),只有现金部分累积积分。</Text> : null}
      {amountFen !== null && plan.cashFen !== null ? (
        <View className='kv kv-total'>
          <Text className='kv-key'>还需支付</Text>
          <Text className='kv-value num jf-cash-due'>¥{formatYuan(plan.cashFen)}</Text>
        </View>
      ) : null}
    </View>
  )
}
