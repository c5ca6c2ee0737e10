import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { formatYuan } from '@jifen/shared'
import { getPointsHealth, type PointsHealthResponse } from '../../services/economics'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, Skeleton } from '../../components/state-view'
import { formatPoints, localTime } from '../../utils/format'
import './index.css'

/** The quarters up to the current one (newest first, at most four), e.g. 2026Q4, 2026Q3, ... */
function recentQuarters(current: string): string[] {
  let y = Number(current.slice(0, 4))
  let q = Number(current.slice(5))
  const out: string[] = []
  for (let i = 0; i < 4; i++) {
    out.push(`${y}Q${q}`)
    q -= 1
    if (q === 0) {
      q = 4
      y -= 1
    }
  }
  return out
}

function Figure({ label, value, cls }: { label: string; value: string; cls: string }) {
  return (
    <View className={`hr-figure ${cls}`}>
      <Text className='hr-figure-value num'>{value}</Text>
      <Text className='hr-figure-label'>{label}</Text>
    </View>
  )
}

function Report({ d }: { d: PointsHealthResponse }) {
  return (
    <View>
      <View className={`hr-statement jf-hr-statement ${d.noDevaluation ? 'is-good' : 'is-changed'}`}>
        <Text className='hr-statement-text'>{d.statement}</Text>
        <Text className='hr-anchor block'>
          {d.anchor.points} 积分 = ¥{formatYuan(d.anchor.fen)}
        </Text>
      </View>
      <View className='card hr-figures'>
        <Figure label='本季发放' value={formatPoints(d.issued)} cls='jf-hr-issued' />
        <Figure label='本季兑换' value={formatPoints(d.redeemed)} cls='jf-hr-redeemed' />
        <Figure label='本季过期' value={formatPoints(d.expired)} cls='jf-hr-expired' />
        <Figure label='消耗率' value={d.consumptionRate.pct} cls='jf-hr-rate' />
      </View>
      <View className='card'>
        <Text className='card-title'>积分调控</Text>
        <Text className='block hr-line jf-hr-inflation'>{d.inflation.text}</Text>
        <Text className='muted block'>会员持有积分共 {formatPoints(d.outstandingPoints)} 分{d.reconciled ? ',与账本逐笔核对一致' : ''}。</Text>
      </View>
      {d.valueChanges.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>本季规则变更</Text>
          {d.valueChanges.map((c) => (
            <View key={c.effectiveAt + c.title} className='hr-change'>
              <Text className='block'>
                {localTime(c.effectiveAt, 'Asia/Shanghai', 'YYYY年M月D日')} {c.title}
              </Text>
              {c.changes.map((l) => (
                <Text key={l} className='muted block'>
                  {l}
                </Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}
      <Text className='muted block hr-foot'>
        统计期 {d.from} 至 {d.to};消耗率 = 兑换 ÷ 发放。生成于 {localTime(d.generatedAt, 'Asia/Shanghai', 'YYYY-MM-DD HH:mm')}
      </Text>
    </View>
  )
}

/** 积分健康报告: public (no sign-in), quarterly, from GET /reports/points-health. */
export default function HealthReportPage() {
  const initial = (Taro.getCurrentInstance().router?.params?.quarter as string | undefined) || undefined
  const [quarter, setQuarter] = useState<string | undefined>(initial)
  const r = useResource(() => getPointsHealth(quarter), [quarter])
  return (
    <View className='page health-report'>
      <Text className='hr-title block'>积分健康报告</Text>
      {r.data ? (
        <View className='chips hr-quarters'>
          {recentQuarters(quarter ?? r.data.quarter).map((q) => (
            <View key={q} className={`chip jf-quarter-${q} ${q === r.data!.quarter ? 'is-on' : ''}`} onClick={() => setQuarter(q)}>
              {q.slice(0, 4)} 年第 {q.slice(5)} 季度
            </View>
          ))}
        </View>
      ) : null}
      {r.error && !r.data ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : !r.data ? <Skeleton heights={[200, 240, 160]} /> : <Report d={r.data} />}
    </View>
  )
}
