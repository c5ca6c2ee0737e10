import { View, Text, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import { computePurchaseEarning, formatYuan, MEMBER_CODE_MAX, memberCodeSchema, ORDER_NO_MAX, orderNoSchema } from '@jifen/shared'
import { postPurchase, type PurchaseResponse } from '../../services/till'
import { getRules } from '../../services/rules'
import { IdempotentAction } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError } from '../../utils/feedback'
import { formatDelta, formatPoints, localTime } from '../../utils/format'
import { parseYuanToFen } from '../../utils/money'
import { StaffShell } from '../components/staff-shell'
import { ScanButton } from '../components/scan-button'

/**
 * Post a purchase: member code (scanned or typed), order number, amount in yuan. Before posting, a preview of
 * the base points from the shared rule (the member's tier, birthday month and any campaign are not known here;
 * the server adds them), then the server's own breakdown.
 */
function ClerkPageBody() {
  const rules = useResource(getRules)
  const action = useRef(new IdempotentAction())
  const [memberCode, setMemberCode] = useState('')
  const [orderNo, setOrderNo] = useState('')
  const [amountText, setAmountText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<PurchaseResponse | null>(null)

  const amountFen = parseYuanToFen(amountText)
  const codeOk = memberCodeSchema.safeParse(memberCode.trim()).success
  const orderOk = orderNoSchema.safeParse(orderNo.trim()).success
  const ready = codeOk && orderOk && amountFen !== null

  const submit = async () => {
    if (busy) return
    if (!ready) {
      setError(!codeOk ? '请扫描或输入有效的会员码' : !orderOk ? '订单号只能包含字母、数字、- 和 _' : '请输入正确的金额,最多两位小数')
      return
    }
    const body = { memberCode: memberCode.trim(), orderNo: orderNo.trim(), amountFen }
    setBusy(true)
    setError(null)
    try {
      const out = await action.current.run(body, (key) => postPurchase(body, key))
      setResult(out)
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  const next = () => {
    setResult(null)
    setMemberCode('')
    setOrderNo('')
    setAmountText('')
    setError(null)
  }

  if (rules.error && !rules.data) {
    return (
      <>
        <ErrorState error={rules.error} onRetry={() => void rules.reload()} />
      </>
    )
  }
  if (!rules.data) {
    return (
      <>
        <LoadingState />
      </>
    )
  }
  const r = rules.data
  // Preview with the lowest tier and no campaign: exactly the base the server starts from.
  const preview = amountFen !== null ? computePurchaseEarning({ amountFen, tier: r.tiers[0]!, birthdayMonth: false, campaign: null, rules: r }) : null
  const base = preview?.lines.find((l) => l.kind === 'BASE')

  return (
    <>
      <View className='staff-columns'>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>消费积分</Text>
            <View className='field'>
              <Text className='field-label'>会员码</Text>
              <View className='input-with-btn'>
                <Input
                  className={`field-input jf-member-code-input ${memberCode && !codeOk ? 'is-invalid' : ''}`}
                  value={memberCode}
                  placeholder='扫描或输入会员出示的会员码'
                  maxlength={MEMBER_CODE_MAX}
                  onInput={(e) => setMemberCode(e.detail.value)}
                />
                <ScanButton onResult={setMemberCode} />
              </View>
              <Text className='field-hint'>会员码每 30 秒刷新,请在会员出示后尽快提交</Text>
            </View>
            <View className='field'>
              <Text className='field-label'>订单号</Text>
              <Input
                className={`field-input jf-order-input ${orderNo && !orderOk ? 'is-invalid' : ''}`}
                value={orderNo}
                placeholder='收银系统小票上的订单号'
                maxlength={ORDER_NO_MAX}
                onInput={(e) => setOrderNo(e.detail.value)}
              />
            </View>
            <View className='field'>
              <Text className='field-label'>消费金额(元)</Text>
              <Input
                className={`field-input num jf-amount-input ${amountText && amountFen === null ? 'is-invalid' : ''}`}
                type='digit'
                value={amountText}
                placeholder='例如 128.00'
                maxlength={10}
                onInput={(e) => setAmountText(e.detail.value)}
              />
              {amountText && amountFen === null ? <Text className='field-hint'>金额格式:最多两位小数,不超过 1,000,000 元</Text> : null}
            </View>
            <View className='preview jf-preview'>
              <View className='row-between'>
                <Text>{base ? base.label : `消费 ${r.purchase.pointsPerYuan} 分/元`}</Text>
                <Text className='preview-num num jf-preview-points'>{base ? `+${formatPoints(base.points)}` : '—'}</Text>
              </View>
              <Text className='muted'>
                {amountFen !== null ? `¥${formatYuan(amountFen)} 的基础积分。` : ''}会员等级、生日月和活动加成由系统按会员情况计算,以提交结果为准。
              </Text>
            </View>
            {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
            <View className={`btn btn-block jf-purchase-submit ${ready ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
              {busy ? '提交中…' : amountFen !== null ? `确认积分 · ¥${formatYuan(amountFen)}` : '确认积分'}
            </View>
          </View>
        </View>
        <View className='staff-col'>
          {result ? (
            <View className='card result-card jf-purchase-result'>
              <Text className='muted'>已为会员积分</Text>
              <Text className='result-big num jf-points-awarded'>{formatDelta(result.pointsAwarded)}</Text>
              <Text className='result-sub jf-result-order'>
                订单 {result.orderNo} · ¥{formatYuan(result.amountFen)}
              </Text>
              {result.breakdown.map((l, i) => (
                <View key={i} className='kv jf-breakdown-line'>
                  <Text className='kv-key'>{l.label}</Text>
                  <Text className='kv-value num'>{formatDelta(l.points)}</Text>
                </View>
              ))}
              <View className='kv kv-total'>
                <Text className='kv-key'>会员积分余额</Text>
                <Text className='kv-value num jf-member-balance'>{formatPoints(result.balance)}</Text>
              </View>
              {result.pendingUntil ? (
                <Text className='muted'>积分将于 {localTime(result.pendingUntil, r.timezone, 'M月D日 HH:mm')} 生效(退货期内待生效)</Text>
              ) : null}
              <View className='btn btn-plain btn-block jf-next-order' onClick={next}>
                下一单
              </View>
            </View>
          ) : (
            <View className='card'>
              <Text className='staff-card-title'>操作说明</Text>
              <Text className='muted block'>1. 请会员打开小程序「会员码」,扫码或输入码下方的字符。</Text>
              <Text className='muted block'>2. 输入收银小票上的订单号和实付金额。</Text>
              <Text className='muted block'>3. 提交后这里显示系统计算的积分明细。同一订单号重复提交不会重复积分。</Text>
            </View>
          )}
        </View>
      </View>
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function ClerkPage() {
  return (
    <StaffShell active='clerk'>
      <ClerkPageBody />
    </StaffShell>
  )
}
