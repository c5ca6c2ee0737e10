import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { CouponDto } from '@jifen/shared'
import { donatePoints, getMyCoupons } from '../../services/coupons'
import { getMe } from '../../services/me'
import { getRules } from '../../services/rules'
import { IdempotentAction } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { BackLink } from '../../components/back-link'
import { handleActionError, toast } from '../../utils/feedback'
import { formatPoints, lastDayLabel, localTime } from '../../utils/format'
import './index.css'

const STATUS: Record<CouponDto['status'], { text: string; tag: string }> = {
  available: { text: '可使用', tag: 'tag-brand' },
  used: { text: '已使用', tag: 'tag-success' },
  lapsed: { text: '已过期', tag: '' },
}

async function load() {
  const [coupons, me, rules] = await Promise.all([getMyCoupons(), getMe(), getRules()])
  return { coupons, me, tz: rules.timezone }
}

const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2))

function CouponCard({ c, tz }: { c: CouponDto; tz: string }) {
  const status = STATUS[c.status]
  return (
    <View className={`card coupon jf-coupon is-${c.status}`}>
      <View className='coupon-value'>
        <Text className='coupon-yuan num'>¥{yuan(c.valueFen)}</Text>
        <Text className='coupon-min'>{c.minSpendFen > 0 ? `满 ${yuan(c.minSpendFen)} 元可用` : '无门槛'}</Text>
      </View>
      <View className='coupon-body grow'>
        <View className='row-between'>
          <Text className='coupon-title'>{c.title}</Text>
          <Text className={`tag ${status.tag} jf-coupon-status`}>{status.text}</Text>
        </View>
        <Text className='muted block'>由 {formatPoints(c.points)} 过期积分返还</Text>
        <Text className={`coupon-code num jf-coupon-code ${c.status === 'available' ? '' : 'is-dim'}`}>{c.code}</Text>
        <Text className='muted block'>
          {c.status === 'used' && c.usedAt ? `使用于 ${localTime(c.usedAt, tz)}` : `有效期至 ${lastDayLabel(c.expiresAt, tz)}`}
        </Text>
      </View>
    </View>
  )
}

/** 卡券: coupons that expired points became, the shelf offer before expiry, and the charity pool. */
export default function CouponsPage() {
  const r = useResource(load)
  const [points, setPoints] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const action = useRef(new IdempotentAction())
  useShowRefresh(() => r.reload(true))
  if (r.error && !r.data) return <View className='page'><BackLink /><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><BackLink /><LoadingState /></View>
  const { coupons, me, tz } = r.data
  const expiring = me.expiring[0] ?? null
  const n = Number(points)
  const valid = Number.isInteger(n) && n >= 1 && n <= me.available

  const donate = async () => {
    if (busy || !valid) return
    const ok = await Taro.showModal({ title: '捐赠积分', content: `将 ${formatPoints(n)} 积分捐赠给${coupons.charity.name}?捐赠后不可撤回。`, confirmColor: '#e8541e' })
    if (!ok.confirm) return
    setBusy(true)
    setError(null)
    try {
      const out = await action.current.run({ points: n }, (key) => donatePoints(n, key))
      toast(`已捐赠 ${formatPoints(out.donated)} 积分,谢谢你`)
      setPoints('')
      void r.reload(true)
    } catch (e) {
      handleActionError(e, setError, () => void donate())
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='page coupons'>
      <BackLink />
      {coupons.offer ? (
        <View className='card offer jf-offer'>
          <Text className='offer-title'>临期专享 · 兑换 {(100 - coupons.offer.pct) / 10} 折</Text>
          <Text className='muted block'>{lastDayLabel(coupons.offer.until, tz)} 前在「兑换」用积分换礼品,积分按折后价扣除。</Text>
          <View className='btn btn-primary btn-small jf-offer-go' onClick={() => void Taro.switchTab({ url: '/pages/shelf/index' })}>
            去兑换
          </View>
        </View>
      ) : null}
      <Text className='section-title'>我的卡券</Text>
      {coupons.coupons.length === 0 ? (
        <EmptyState title='暂无卡券' hint='到期未用完的积分,每满一定数量会返还优惠券' icon='券' />
      ) : (
        coupons.coupons.map((c) => <CouponCard key={c.id} c={c} tz={tz} />)
      )}
      <Text className='muted block coupon-hint'>在门店结账时,把券码告诉店员即可抵扣,每张券只能使用一次。</Text>

      {coupons.charity.enabled ? (
        <View className='card charity jf-charity'>
          <Text className='rule-title'>捐赠给{coupons.charity.name}</Text>
          <Text className='muted block'>
            {expiring ? `你有 ${formatPoints(expiring.points)} 积分将于 ${lastDayLabel(expiring.expiresAt, tz)} 过期,` : ''}可以捐出积分,先到期的先捐出。
          </Text>
          <View className='input-with-btn'>
            <Input className='field-input num jf-donate-input' type='number' value={points} placeholder={`最多 ${formatPoints(me.available)}`} onInput={(e) => setPoints(e.detail.value)} />
            <View className={`btn btn-small jf-donate ${valid ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void donate()}>
              {busy ? '捐赠中…' : '捐赠'}
            </View>
          </View>
          {error ? <Text className='form-error'>{error}</Text> : null}
        </View>
      ) : null}
    </View>
  )
}
