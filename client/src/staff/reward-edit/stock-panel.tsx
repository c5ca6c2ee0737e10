import { View, Text, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import { STOCK_REASON_MAX, type StockMovementDto } from '@jifen/shared'
import { moveRewardStock, type RewardAdminDto } from '../../services/rewards-admin'
import { IdempotentAction } from '../../services/request'
import { handleActionError, toast } from '../../utils/feedback'
import { formatDelta, formatPoints, localTime } from '../../utils/format'
import { yuanShort } from '../../utils/money'
import { LimitHint, tooLong } from '../../components/limit-hint'

const KIND: Record<string, string> = { initial: '初始', adjust: '调整', redeem: '兑换', redeem_cancel: '取消兑换' }

/** Restock or write off with a reason: one movement row per action, never below zero (the server refuses). */
export function StockPanel({ reward, movements, onMoved }: { reward: RewardAdminDto; movements: StockMovementDto[]; onMoved: () => void }) {
  const action = useRef(new IdempotentAction())
  const [delta, setDelta] = useState('')
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const n = /^-?\d{1,7}$/.test(delta.trim()) ? Number(delta.trim()) : null

  const submit = async () => {
    if (busy) return
    const over = tooLong([['原因', reason, STOCK_REASON_MAX]])
    if (over) return setError(over)
    if (n === null || n === 0) return setError('填写变动数量:正数为补货,负数为报损')
    if (!reason.trim()) return setError('请填写原因')
    if (reward.stock + n < 0) return setError(`库存不能小于零(当前 ${reward.stock})`)
    setBusy(true)
    setError(null)
    const body = { delta: n, reason: reason.trim() }
    try {
      await action.current.run(body, (key) => moveRewardStock(reward.id, body, key))
      toast('库存已更新')
      setDelta('')
      setReason('')
      onMoved()
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='card jf-stock-panel'>
      <Text className='staff-card-title'>
        库存 <Text className='num jf-stock-now'>{formatPoints(reward.stock)}</Text>
      </Text>
      <View className='two'>
        <View className='field grow'>
          <Text className='field-label'>变动(+补货 / −报损)</Text>
          <Input className='field-input num jf-stock-delta' value={delta} placeholder='50 或 -3' maxlength={-1} onInput={(e) => setDelta(e.detail.value)} />
        </View>
        <View className='field grow'>
          <Text className='field-label'>原因</Text>
          <Input className='field-input jf-stock-reason' value={reason} maxlength={-1} placeholder='到货补库存' onInput={(e) => setReason(e.detail.value)} />
          <LimitHint label='原因' text={reason} max={STOCK_REASON_MAX} />
        </View>
      </View>
      {error ? <Text className='form-error jf-stock-error'>{error}</Text> : null}
      <View className={`btn btn-plain btn-block jf-stock-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '提交中…' : '调整库存'}
      </View>
      <View className='stock-moves'>
        {movements.slice(0, 10).map((m) => (
          <View key={m.id} className='row-between stock-move jf-stock-move'>
            <Text className='stock-move-what'>
              {KIND[m.kind] ?? m.kind} · {m.kind === 'adjust' || m.kind === 'initial' ? m.reason : m.actor}
            </Text>
            <Text className={`num ${m.delta < 0 ? 'is-negative' : 'is-positive'}`}>
              {formatDelta(m.delta)} → {formatPoints(m.stockAfter)}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}

/** Every price the reward has had, newest first (editing a price keeps the history). */
export function PriceHistory({ rows, tz }: { rows: { pointsPrice: number; faceValueFen: number; costFen: number; changedBy: string; changedAt: string }[]; tz: string }) {
  return (
    <View className='card jf-price-history'>
      <Text className='staff-card-title'>价格历史</Text>
      {rows.map((p, i) => (
        <View key={i} className='row-between stock-move jf-price-row'>
          <Text className='stock-move-what'>
            {localTime(p.changedAt, tz)} · {p.changedBy}
          </Text>
          <Text className='num'>
            {formatPoints(p.pointsPrice)} 分 · ¥{yuanShort(p.faceValueFen)} / ¥{yuanShort(p.costFen)}
          </Text>
        </View>
      ))}
    </View>
  )
}
