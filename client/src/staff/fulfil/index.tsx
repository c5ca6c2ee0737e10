import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { pickupCodeSchema, type RedemptionDto } from '@jifen/shared'
import { fulfilRedemption } from '../../services/till'
import { ApiError } from '../../services/request'
import { handleActionError } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { overLimit, toHalfWidth } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { ScanButton } from '../components/scan-button'

/** Hand over a redeemed reward: the member shows the pickup code from 我的兑换. */
function FulfilPageBody() {
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<RedemptionDto | null>(null)
  const normalized = toHalfWidth(code).trim().toUpperCase()
  const tooLong = overLimit('取货码', normalized, 10)
  const ok = pickupCodeSchema.safeParse(normalized).success

  const submit = async () => {
    if (busy) return
    if (!ok) {
      setError('取货码为 10 位字母和数字')
      return
    }
    setBusy(true)
    setError(null)
    try {
      setDone(await fulfilRedemption(normalized))
      setCode('')
    } catch (e) {
      // Fulfil is naturally idempotent on the server (a second one is ALREADY_FULFILLED), so a retry is safe.
      handleActionError(e, setError, () => void submit())
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setError('未找到该取货码,请核对后重试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <View className='staff-columns'>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>核销兑换</Text>
            <View className='field'>
              <Text className='field-label'>取货码</Text>
              <View className='input-with-btn'>
                <Input
                  className={`field-input num jf-pickup-input ${code && !ok ? 'is-invalid' : ''}`}
                  value={code}
                  placeholder='会员「我的兑换」中的 10 位取货码'
                  maxlength={-1}
                  onInput={(e) => setCode(toHalfWidth(e.detail.value).toUpperCase())}
                  onConfirm={() => void submit()}
                />
                <ScanButton onResult={setCode} />
              </View>
              {tooLong ? <Text className='field-hint is-error jf-pickup-hint'>{tooLong}</Text> : null}
            </View>
            {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
            <View className={`btn btn-block jf-fulfil-submit ${ok ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
              {busy ? '核销中…' : '确认核销'}
            </View>
          </View>
        </View>
        <View className='staff-col'>
          {done ? (
            <View className='card result-card jf-fulfil-result'>
              <Text className='muted'>核销成功,请将礼品交给会员</Text>
              <Text className='result-name jf-fulfil-title'>
                {done.rewardTitle} × {done.quantity}
              </Text>
              <View className='kv'>
                <Text className='kv-key'>取货码</Text>
                <Text className='kv-value num'>{done.pickupCode}</Text>
              </View>
              <View className='kv'>
                <Text className='kv-key'>兑换积分</Text>
                <Text className='kv-value num'>{formatPoints(done.points)}</Text>
              </View>
            </View>
          ) : (
            <View className='card'>
              <Text className='staff-card-title'>说明</Text>
              <Text className='muted block'>核销后兑换不可再取消。已取消或已核销的取货码会被拒绝。</Text>
            </View>
          )}
        </View>
      </View>
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function FulfilPage() {
  return (
    <StaffShell active='fulfil'>
      <FulfilPageBody />
    </StaffShell>
  )
}
