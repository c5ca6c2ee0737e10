import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { couponCodeSchema, formatYuan, ORDER_NO_MAX, orderNoSchema } from '@jifen/shared'
import { redeemCoupon, type CouponRedeemResponse } from '../../services/coupons'
import { ApiError } from '../../services/request'
import { handleActionError } from '../../utils/feedback'
import { AMOUNT_INPUT_TYPE, amountField, overLimit } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { TillForm } from '../components/till-form'

const CODE_MAX = 16

/**
 * Redeem a member's coupon (卡券, from expired points) against an order of this store: once. A retry of the
 * same order is answered with the first result by the server, so a lost answer can simply be retried.
 */
function CouponRedeemPageBody() {
  const [code, setCode] = useState('')
  const [orderNo, setOrderNo] = useState('')
  const [amountText, setAmountText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<CouponRedeemResponse | null>(null)
  const normalized = code.trim().toUpperCase()
  const order = orderNo.trim()
  const codeTooLong = overLimit('券码', normalized, CODE_MAX)
  const orderTooLong = overLimit('订单号', order, ORDER_NO_MAX)
  const codeOk = couponCodeSchema.safeParse(normalized).success
  const orderOk = orderNoSchema.safeParse(order).success
  const amount = amountField(amountText)
  const amountFen = amount.fen
  const ok = codeOk && orderOk && amountFen !== null

  const submit = async () => {
    if (busy) return
    if (!ok || amountFen === null) {
      setError(!codeOk ? (codeTooLong ?? '券码为 6-16 位字母和数字') : !orderOk ? (orderTooLong ?? '请填写订单号') : (amount.hint ?? '请填写订单金额(元)'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      setDone(await redeemCoupon({ code: normalized, orderNo: order, amountFen }))
      setCode('')
    } catch (e) {
      handleActionError(e, setError, () => void submit())
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setError('未找到该券码,请核对后重试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <TillForm
      title='核销卡券'
      fields={[
        { label: '券码', inputClass: 'jf-coupon-input', num: true, scan: true, value: code, placeholder: '会员「卡券」页上的券码', invalid: !!code && !codeOk, hint: codeTooLong, hintClass: 'jf-coupon-hint', onInput: (t) => setCode(t.toUpperCase()) },
        { label: '订单号', inputClass: 'jf-coupon-order', value: orderNo, placeholder: '如 A-20261202-0002', invalid: !!orderNo && !orderOk, hint: orderTooLong, hintClass: 'jf-order-hint', onInput: setOrderNo },
        {
          label: '订单金额(元)',
          inputClass: 'jf-coupon-amount',
          num: true,
          type: AMOUNT_INPUT_TYPE,
          value: amountText,
          placeholder: '如 68.00',
          invalid: !!amount.hint,
          hint: amount.hint,
          hintClass: 'jf-amount-hint',
          onInput: (t) => setAmountText(amountField(t).text),
          onConfirm: () => void submit(),
        },
      ]}
      error={error}
      submit={{ className: 'jf-coupon-submit', ready: ok, busy, label: busy ? '核销中…' : '确认核销', onClick: () => void submit() }}
      result={
        done ? (
          <View className='card result-card jf-coupon-result'>
            <Text className='muted'>核销成功,该券已失效</Text>
            <Text className='result-name'>{done.coupon.title}</Text>
            <View className='kv'>
              <Text className='kv-key'>订单号</Text>
              <Text className='kv-value num'>{done.orderNo}</Text>
            </View>
            <View className='kv'>
              <Text className='kv-key'>订单金额</Text>
              <Text className='kv-value num'>¥{formatYuan(done.amountFen)}</Text>
            </View>
            <View className='kv'>
              <Text className='kv-key'>券抵扣</Text>
              <Text className='kv-value num'>-¥{formatYuan(done.discountFen)}</Text>
            </View>
            <View className='kv'>
              <Text className='kv-key'>应收</Text>
              <Text className='kv-value num jf-coupon-pay'>¥{formatYuan(done.payFen)}</Text>
            </View>
          </View>
        ) : null
      }
      notes={['每张券只能使用一次,需满足使用门槛且在有效期内。核销后从订单金额中抵扣券面值。']}
    />
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function CouponRedeemPage() {
  return (
    <StaffShell active='coupon'>
      <CouponRedeemPageBody />
    </StaffShell>
  )
}
