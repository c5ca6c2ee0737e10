import { View, Text } from '@tarojs/components'
import { formatPoints } from '../../utils/format'

export interface MonthRow {
  month: string // 'YYYY-MM'
  issued: number
  redeemed: number
  expired: number
}

const SERIES = [
  { key: 'issued', name: '发放', cls: 's-issued' },
  { key: 'redeemed', name: '兑换', cls: 's-redeemed' },
  { key: 'expired', name: '过期', cls: 's-expired' },
] as const

/** A compact axis label: 1,234,567 -> 123.5万. */
function short(n: number): string {
  if (n >= 10_000) {
    const tenths = Math.round(n / 1_000)
    return `${Math.floor(tenths / 10)}${tenths % 10 ? `.${tenths % 10}` : ''}万`
  }
  return formatPoints(n)
}

/**
 * Grouped bars drawn with Views (no canvas, so it is the same on weapp and h5 and prints crisp): per month
 * issued vs redeemed vs expired, heights relative to the largest value in the range.
 */
export function BarChart({ rows }: { rows: MonthRow[] }) {
  const max = Math.max(1, ...rows.flatMap((r) => [r.issued, r.redeemed, r.expired]))
  return (
    <View className='chart jf-health-chart'>
      <View className='chart-legend'>
        {SERIES.map((s) => (
          <View key={s.key} className='chart-legend-item'>
            <View className={`chart-swatch ${s.cls}`} />
            <Text>{s.name}</Text>
          </View>
        ))}
        <Text className='muted chart-max'>最高 {short(max)} 分</Text>
      </View>
      <View className='chart-plot'>
        {rows.map((r) => (
          <View key={r.month} className='chart-group jf-chart-month'>
            <View className='chart-bars'>
              {SERIES.map((s) => {
                const v = r[s.key]
                const pct = v === 0 ? 0 : Math.max(1, Math.round((v * 100) / max))
                return (
                  <View key={s.key} className='chart-bar-slot'>
                    <View className={`chart-bar jf-chart-bar ${s.cls}`} style={{ height: `${pct}%` }}>
                      {v > 0 ? <Text className='chart-value num'>{short(v)}</Text> : null}
                    </View>
                  </View>
                )
              })}
            </View>
            <Text className='chart-label'>{Number(r.month.slice(5))}月</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
