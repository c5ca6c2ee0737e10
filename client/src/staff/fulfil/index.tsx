import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { pickupCodeSchema, type RedemptionDto } from '@jifen/shared'
import { fulfilRedemption } from '../../services/till'
import { ApiError } from '../../services/request'
import { handleActionError } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { overLimit } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { TillForm } from '../components/till-form'

/** Hand over a redeemed reward: the member shows the pickup code from 我的兑换. */
function FulfilPageBody() {
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<RedemptionDto | null>(null)
  const normalized = code.trim().toUpperCase()
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
    <TillForm
      title='核销兑换'
      fields={[
        {
          label: '取货码',
          inputClass: 'jf-pickup-input',
          num: true,
          scan: true,
          value: code,
          placeholder: '会员「我的兑换」中的 10 位取货码',
          invalid: !!code && !ok,
          hint: tooLong,
          hintClass: 'jf-pickup-hint',
          onInput: (t) => setCode(t.toUpperCase()),
          onConfirm: () => void submit(),
        },
      ]}
      error={error}
      submit={{ className: 'jf-fulfil-submit', ready: ok, busy, label: busy ? '核销中…' : '确认核销', onClick: () => void submit() }}
      result={
        done ? (
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
        ) : null
      }
      notes={['核销后兑换不可再取消。已取消或已核销的取货码会被拒绝。']}
    />
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
