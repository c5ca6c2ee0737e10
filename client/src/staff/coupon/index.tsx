import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { couponCodeSchema, orderNoSchema } from '@jifen/shared'
import { redeemCoupon, type CouponRedeemResponse } from '../../services/coupons'
import { ApiError } from '../../services/request'
import { handleActionError } from '../../utils/feedback'
import { StaffShell } from '../components/staff-shell'
import { ScanButton } from '../components/scan-button'

const yuan = (fen: number) => (fen / 100).toFixed(2)

/** Yuan as typed ("68" or "68.5") to integer fen; null when it is not an amount. */
function toFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/**
 * Redeem a member's coupon (卡券, from expired points) against an order of this store: once. A retry of the
 * same order is answered with the first result by the server, so a lost answer can simply be retried.
 */
export default function CouponRedeemPage() {
  const [code, setCode] = useState('')
  const [orderNo, setOrderNo] = useState('')
  const [amount, setAmount] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<CouponRedeemResponse | null>(null)
  const codeOk = couponCodeSchema.safeParse(code).success
  const orderOk = orderNoSchema.safeParse(orderNo.trim()).success
  const amountFen = toFen(amount)
  const ok = codeOk && orderOk && amountFen !== null && amountFen > 0

  const submit = async () => {
    if (busy) return
    if (!ok) {
      setError(!codeOk ? '券码为 10 位字母和数字' : !orderOk ? '请填写订单号' : '请填写订单金额(元)')
      return
    }
    setBusy(true)
    setError(null)
    try {
      setDone(await redeemCoupon({ code: code.trim().toUpperCase(), orderNo: orderNo.trim(), amountFen: amountFen! }))
      setCode('')
    } catch (e) {
      handleActionError(e, setError, () => void submit())
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setError('未找到该券码,请核对后重试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <StaffShell active='coupon'>
      <View className='staff-columns'>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>核销卡券</Text>
            <View className='field'>
              <Text className='field-label'>券码</Text>
              <View className='input-with-btn'>
                <Input
                  className={`field-input num jf-coupon-input ${code && !codeOk ? 'is-invalid' : ''}`}
                  value={code}
                  placeholder='会员「卡券」页上的券码'
                  maxlength={16}
                  onInput={(e) => setCode(e.detail.value.toUpperCase())}
                />
                <ScanButton onResult={setCode} />
              </View>
            </View>
            <View className='field'>
              <Text className='field-label'>订单号</Text>
              <Input className='field-input jf-coupon-order' value={orderNo} placeholder='如 A-20261202-0002' maxlength={64} onInput={(e) => setOrderNo(e.detail.value)} />
            </View>
            <View className='field'>
              <Text className='field-label'>订单金额(元)</Text>
              <Input className='field-input num jf-coupon-amount' type='digit' value={amount} placeholder='如 68.00' onInput={(e) => setAmount(e.detail.value)} onConfirm={() => void submit()} />
            </View>
            {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
            <View className={`btn btn-block jf-coupon-submit ${ok ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
              {busy ? '核销中…' : '确认核销'}
            </View>
          </View>
        </View>
        <View className='staff-col'>
          {done ? (
            <View className='card result-card jf-coupon-result'>
              <Text className='muted'>核销成功,该券已失效</Text>
              <Text className='result-name'>{done.coupon.title}</Text>
              <View className='kv'>
                <Text className='kv-key'>订单号</Text>
                <Text className='kv-value num'>{done.orderNo}</Text>
              </View>
              <View className='kv'>
                <Text className='kv-key'>订单金额</Text>
                <Text className='kv-value num'>¥{yuan(done.amountFen)}</Text>
              </View>
              <View className='kv'>
                <Text className='kv-key'>券抵扣</Text>
                <Text className='kv-value num'>-¥{yuan(done.discountFen)}</Text>
              </View>
              <View className='kv'>
                <Text className='kv-key'>应收</Text>
                <Text className='kv-value num jf-coupon-pay'>¥{yuan(done.payFen)}</Text>
              </View>
            </View>
          ) : (
            <View className='card'>
              <Text className='staff-card-title'>说明</Text>
              <Text className='muted block'>每张券只能使用一次,需满足使用门槛且在有效期内。核销后从订单金额中抵扣券面值。</Text>
            </View>
          )}
        </View>
      </View>
    </StaffShell>
  )
}
