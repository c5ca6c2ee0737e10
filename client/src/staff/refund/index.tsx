import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import { formatYuan, ORDER_NO_MAX, orderNoSchema } from '@jifen/shared'
import { refundPurchase, type RefundResponse } from '../../services/till'
import { ApiError, IdempotentAction } from '../../services/request'
import { handleActionError } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { AMOUNT_INPUT_TYPE, amountField, overLimit } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { TillForm } from '../components/till-form'

/** Refund (part of) an order: the points it earned are reversed in proportion to the money refunded. */
function RefundPageBody() {
  const action = useRef(new IdempotentAction())
  const [orderNo, setOrderNo] = useState('')
  const [amountText, setAmountText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<RefundResponse | null>(null)

  const amount = amountField(amountText)
  const amountFen = amount.fen
  const order = orderNo.trim()
  const orderTooLong = overLimit('订单号', order, ORDER_NO_MAX)
  const orderOk = orderNoSchema.safeParse(order).success
  const ready = orderOk && amountFen !== null

  const submit = async () => {
    if (busy) return
    if (!ready || amountFen === null) {
      setError(!orderOk ? (orderTooLong ?? '请输入原订单号(字母、数字、- 和 _)') : (amount.hint ?? '请输入正确的退款金额,最多两位小数'))
      return
    }
    const no = order
    setBusy(true)
    setError(null)
    try {
      const out = await action.current.run({ no, amountFen }, (key) => refundPurchase(no, amountFen, key))
      setResult(out)
      setAmountText('')
    } catch (e) {
      handleActionError(e, setError, () => void submit())
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setError('未找到该订单:只能退本门店已积分的订单')
    } finally {
      setBusy(false)
    }
  }

  return (
    <TillForm
      title='订单退款'
      fields={[
        { label: '原订单号', inputClass: 'jf-refund-order-input', value: orderNo, placeholder: '需退款的订单号', invalid: !!orderNo && !orderOk, hint: orderTooLong, hintClass: 'jf-order-hint', onInput: setOrderNo },
        {
          label: '退款金额(元)',
          inputClass: 'jf-refund-amount-input',
          num: true,
          type: AMOUNT_INPUT_TYPE,
          value: amountText,
          placeholder: '例如 64.00',
          invalid: !!amount.hint,
          hint: amount.hint,
          hintClass: 'jf-amount-hint',
          note: '可多次部分退款,累计不超过订单金额;积分按退款比例扣回。',
          onInput: (t) => setAmountText(amountField(t).text),
        },
      ]}
      error={error}
      submit={{ className: 'jf-refund-submit', ready, busy, label: busy ? '提交中…' : amountFen !== null ? `确认退款 ¥${formatYuan(amountFen)}` : '确认退款', onClick: () => void submit() }}
      result={
        result ? (
          <View className='card result-card is-reverse jf-refund-result'>
            <Text className='muted'>已扣回积分</Text>
            <Text className='result-big is-reverse num jf-points-reversed'>-{formatPoints(result.pointsReversed)}</Text>
            <Text className='result-sub'>订单 {result.orderNo}</Text>
            <View className='kv'>
              <Text className='kv-key'>本次退款</Text>
              <Text className='kv-value num'>¥{formatYuan(result.refundFen)}</Text>
            </View>
            <View className='kv'>
              <Text className='kv-key'>累计已退</Text>
              <Text className='kv-value num'>¥{formatYuan(result.refundedFenTotal)}</Text>
            </View>
            {result.pointsReturned > 0 ? (
              <View className='kv jf-points-returned'>
                <Text className='kv-key'>退回抵扣积分</Text>
                <Text className='kv-value num'>+{formatPoints(result.pointsReturned)}</Text>
              </View>
            ) : null}
            <View className='kv kv-total'>
              <Text className='kv-key'>会员积分余额</Text>
              <Text className='kv-value num jf-member-balance'>{formatPoints(result.balance)}</Text>
            </View>
          </View>
        ) : null
      }
      notes={['只能退本门店的订单。退款后,该订单所得积分按退款金额比例扣回;若会员已用掉这些积分,差额记为欠分,之后的积分先抵扣。']}
    />
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function RefundPage() {
  return (
    <StaffShell active='refund'>
      <RefundPageBody />
    </StaffShell>
  )
}
