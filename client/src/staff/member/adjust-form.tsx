import { View, Text, Input, Switch } from '@tarojs/components'
import { useRef, useState } from 'react'
import { ADJUST_POINTS_MAX, REASON_MAX, adjustmentRequest, needsApproval, planAdjustment, type RulesConfig } from '@jifen/shared'
import { adjustPoints, type AdjustmentResponse, type MemberDetailResponse } from '../../services/members-admin'
import { IdempotentAction } from '../../services/request'
import { toast } from '../../utils/feedback'
import { useFormAction } from '../../hooks/use-form-action'
import { formatDelta, formatPoints } from '../../utils/format'
import { LimitHint, tooLong } from '../../components/limit-hint'

/**
 * 调整积分: direction, points and a reason (the member reads it in 明细), with a preview of the balance after it
 * from the shared rule, and the approval note when a service adjustment is over the configured size. One
 * submit = one Idempotency-Key (a retry after a timeout cannot book twice).
 */
export function AdjustForm({ detail, rules, onDone }: { detail: MemberDetailResponse; rules: RulesConfig; onDone: () => void }) {
  const action = useRef(new IdempotentAction())
  const [sign, setSign] = useState<1 | -1>(1)
  const [pointsText, setPointsText] = useState('')
  const [reason, setReason] = useState('')
  const [allowDebt, setAllowDebt] = useState(false)
  const { busy, error, setError, run } = useFormAction()
  const [last, setLast] = useState<AdjustmentResponse | null>(null)

  const magnitude = /^\d{1,7}$/.test(pointsText.trim()) ? Number(pointsText.trim()) : null
  const points = magnitude ? sign * magnitude : null
  const parsed = points !== null ? adjustmentRequest.safeParse({ points, reason, ...(allowDebt && sign < 0 ? { allowDebt: true } : {}) }) : null
  const { account, viewer } = detail
  const outcome = points !== null && points !== 0 ? planAdjustment(account, points, allowDebt && sign < 0) : null
  const waits = points !== null && needsApproval(viewer.role, points, rules)

  const submit = async () => {
    if (busy) return
    const over = tooLong([['原因', reason, REASON_MAX]])
    if (over) return setError(over)
    if (!parsed || !parsed.success) {
      setError(magnitude === null ? `请输入 1 到 ${formatPoints(ADJUST_POINTS_MAX)} 的整数积分` : '请填写原因(2 到 100 个字),会员会在积分明细里看到')
      return
    }
    await run(async () => {
      const out = await action.current.run(parsed.data, (key) => adjustPoints(detail.member.id, parsed.data, key))
      setLast(out)
      toast(out.adjustment.status === 'pending' ? '已提交审批' : '调整成功')
      setPointsText('')
      setReason('')
      setAllowDebt(false)
      onDone()
    }, () => void submit())
  }

  return (
    <View className='card jf-adjust-form'>
      <Text className='staff-card-title'>调整积分</Text>
      <View className='field'>
        <Text className='field-label'>方向</Text>
        <View className='chips'>
          <View className={`chip jf-adjust-plus ${sign > 0 ? 'is-on' : ''}`} onClick={() => setSign(1)}>
            增加积分
          </View>
          <View className={`chip jf-adjust-minus ${sign < 0 ? 'is-on' : ''}`} onClick={() => setSign(-1)}>
            扣减积分
          </View>
        </View>
      </View>
      <View className='field'>
        <Text className='field-label'>积分</Text>
        <Input className='field-input num jf-adjust-points' type='number' value={pointsText} placeholder='例如 200' maxlength={-1} onInput={(e) => setPointsText(e.detail.value)} />
      </View>
      <View className='field'>
        <Text className='field-label'>原因(会员可见)</Text>
        <Input className='field-input jf-adjust-reason' value={reason} placeholder='例如:补发 6 月 12 日消费漏积的积分' maxlength={-1} onInput={(e) => setReason(e.detail.value)} />
        <LimitHint label='原因' text={reason} max={REASON_MAX} />
      </View>
      {viewer.canAllowDebt && sign < 0 ? (
        <View className='field switch-row'>
          <View>
            <Text className='field-label'>余额不足时记为欠分</Text>
            <Text className='field-hint'>仅管理员;不开启时扣减不能超过可用积分</Text>
          </View>
          <Switch className='jf-adjust-allow-debt' checked={allowDebt} color='#e8541e' onChange={(e) => setAllowDebt(e.detail.value)} />
        </View>
      ) : null}
      <View className='preview jf-adjust-preview'>
        <View className='row-between'>
          <Text>调整后余额</Text>
          <Text className='preview-num num jf-adjust-balance-after'>{outcome && outcome.ok ? formatPoints(outcome.balanceAfter) : '—'}</Text>
        </View>
        <Text className='muted block'>
          当前余额 {formatPoints(account.balance)},可用 {formatPoints(account.available)}
          {account.debt > 0 ? `,欠分 ${formatPoints(account.debt)}` : ''}
          {points !== null ? `;本次 ${formatDelta(points)}` : ''}
        </Text>
        {outcome && !outcome.ok ? <Text className='form-error block jf-adjust-insufficient'>可用积分不足,最多可扣 {formatPoints(outcome.available)} 分</Text> : null}
        {outcome && outcome.ok && outcome.debtAfter > account.debt ? <Text className='muted block'>其中 {formatPoints(outcome.debtAfter - account.debt)} 分记为欠分,以后获得的积分先还欠分</Text> : null}
        {waits ? (
          <Text className='tag tag-warning jf-adjust-needs-approval'>超过 {formatPoints(rules.adjustments.approvalAbovePoints)} 分,提交后需管理员审批</Text>
        ) : null}
      </View>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-block jf-adjust-submit ${parsed?.success && (!outcome || outcome.ok) ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '提交中…' : waits ? '提交审批' : '确认调整'}
      </View>
      {last ? (
        <Text className='muted block jf-adjust-result'>
          {last.adjustment.status === 'pending'
            ? `已提交审批:${formatDelta(last.adjustment.points)} 分,等待管理员处理`
            : `已调整 ${formatDelta(last.adjustment.points)} 分,余额 ${formatPoints(last.balance ?? 0)}`}
        </Text>
      ) : null}
    </View>
  )
}
