import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import { formatLocal, monthsBefore, type RulesConfig } from '@jifen/shared'
import { getHealthReport, type HealthReportResponse } from '../../services/reports'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { ProgressBar } from '../../components/progress-bar'
import { formatPoints } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { BarChart } from '../components/bar-chart'
import './index.css'

type Preset = '30d' | '6m' | 'year' | 'custom'

/** Local dates for a preset, in the rules' zone. '30d' sends nothing: the server's default is the last 30 days. */
function rangeFor(preset: Preset, tz: string): { from?: string; to?: string } {
  const now = new Date()
  const today = formatLocal(now, tz, 'YYYY-MM-DD')
  if (preset === '6m') return { from: formatLocal(monthsBefore(now, 5, tz), tz, 'YYYY-MM-01'), to: today }
  if (preset === 'year') return { from: `${today.slice(0, 4)}-01-01`, to: today }
  return {}
}

function Stat({ label, value, sub, cls = '' }: { label: string; value: string; sub?: string; cls?: string }) {
  return (
    <View className={`stat ${cls}`}>
      <Text className='stat-label'>{label}</Text>
      <Text className='stat-value num'>{value}</Text>
      {sub ? <Text className='stat-sub'>{sub}</Text> : null}
    </View>
  )
}

function Report({ data }: { data: HealthReportResponse }) {
  const p = data.period
  return (
    <View>
      <View className='stats jf-health-stats'>
        <Stat label='期间发放' value={formatPoints(p.issued.total)} cls='jf-stat-issued' sub='含消费、签到、活动等' />
        <Stat label='期间兑换(净)' value={formatPoints(p.redeemed.net)} cls='jf-stat-redeemed' sub={`兑换 ${formatPoints(p.redeemed.gross)} · 取消退回 ${formatPoints(p.redeemed.cancelled)}`} />
        <Stat label='期间过期' value={formatPoints(p.expired)} cls='jf-stat-expired' sub={`退款扣回 ${formatPoints(p.reversedByRefunds)}`} />
        <Stat label='消耗率' value={data.consumptionRate.pct} cls='jf-stat-rate' sub='兑换 ÷ 发放' />
      </View>

      <View className='card liability jf-liability'>
        <View className='row-between'>
          <View>
            <Text className='stat-label'>未兑积分负债(当前)</Text>
            <Text className='liability-value num'>¥{data.outstanding.worthYuan}</Text>
            <Text className='muted'>
              {formatPoints(data.outstanding.points)} 分 · {formatPoints(data.outstanding.members)} 位会员
            </Text>
          </View>
          <Text className={`tag ${data.allTime.reconciled ? 'tag-success' : 'tag-danger'} jf-reconciled`}>{data.allTime.reconciled ? '账实相符' : '账实不符'}</Text>
        </View>
        <View className='liability-split'>
          <Text className='muted'>待生效 {formatPoints(data.outstanding.pendingPoints)}</Text>
          <Text className='muted'>待过期清理 {formatPoints(data.outstanding.awaitingExpiryPoints)}</Text>
          <Text className='muted'>
            欠分 {formatPoints(data.outstanding.debtPoints)}({data.outstanding.membersWithDebt} 人)
          </Text>
        </View>
      </View>

      <View className='card'>
        <Text className='staff-card-title'>按月发放 / 兑换 / 过期</Text>
        {data.byMonth.length === 0 ? <EmptyState title='所选期间没有数据' icon='—' /> : <BarChart rows={data.byMonth} />}
      </View>

      <View className='staff-columns'>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>活动预算使用</Text>
            {data.campaigns.length === 0 ? (
              <Text className='muted'>期间没有进行中的活动</Text>
            ) : (
              data.campaigns.map((c) => (
                <View key={c.id} className='budget-row jf-report-campaign'>
                  <View className='row-between'>
                    <Text className='budget-name'>{c.name}</Text>
                    <Text className='muted num'>
                      {formatPoints(c.issuedPoints)} / {formatPoints(c.budgetPoints)} · {c.usedPct}
                    </Text>
                  </View>
                  <ProgressBar pct={c.usedBp === null ? 0 : Math.floor(c.usedBp / 100)} />
                </View>
              ))
            )}
          </View>
        </View>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>热门兑换</Text>
            {data.topRewards.length === 0 ? (
              <Text className='muted'>期间没有兑换</Text>
            ) : (
              data.topRewards.map((t, i) => (
                <View key={t.rewardId} className='kv'>
                  <Text className='kv-key'>
                    {i + 1}. {t.title}
                  </Text>
                  <Text className='kv-value num'>
                    {t.quantity} 件 · {formatPoints(t.points)} 分
                  </Text>
                </View>
              ))
            )}
          </View>
        </View>
      </View>
      <View className='card jf-report-giveback'>
        <Text className='staff-card-title'>过期返还与公益</Text>
        <View className='kv'>
          <Text className='kv-key'>返还券 发放 / 已用 / 过期</Text>
          <Text className='kv-value num jf-giveback-coupons'>
            {data.giveback.coupons.issued} / {data.giveback.coupons.used} / {data.giveback.coupons.lapsed} 张
          </Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>已用券面值 · 成本</Text>
          <Text className='kv-value num'>
            ¥{(data.giveback.coupons.usedValueFen / 100).toFixed(2)} · ¥{(data.giveback.coupons.usedCostFen / 100).toFixed(2)}
          </Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>{data.giveback.charity.name}(期间 / 累计)</Text>
          <Text className='kv-value num jf-giveback-pool'>
            {formatPoints(data.giveback.charity.donatedPoints)} / {formatPoints(data.giveback.charity.poolPoints)} 分 · {data.giveback.charity.donors} 人
          </Text>
        </View>
      </View>
      <Text className='muted block report-foot jf-report-range'>
        统计区间 {data.range.from} 至 {data.range.to}({data.range.timezone}),生成于 {formatLocal(new Date(data.generatedAt), data.range.timezone, 'YYYY-MM-DD HH:mm')}
      </Text>
    </View>
  )
}

function ReportView({ rules }: { rules: RulesConfig }) {
  const tz = rules.timezone
  const [preset, setPreset] = useState<Preset>('6m')
  const [range, setRange] = useState(() => rangeFor('6m', tz))
  const r = useResource(() => getHealthReport(range), [range.from, range.to])
  const today = formatLocal(new Date(), tz, 'YYYY-MM-DD')
  const choose = (p: Preset) => {
    setPreset(p)
    if (p !== 'custom') setRange(rangeFor(p, tz))
    else setRange((x) => ({ from: x.from ?? r.data?.range.from ?? today, to: x.to ?? r.data?.range.to ?? today }))
  }
  const PRESETS: { key: Preset; text: string }[] = [
    { key: '30d', text: '近 30 天' },
    { key: '6m', text: '近 6 个月' },
    { key: 'year', text: '今年' },
    { key: 'custom', text: '自定义' },
  ]
  return (
    <View>
      <View className='report-head'>
        <Text className='staff-card-title'>积分健康</Text>
        <View className='chips'>
          {PRESETS.map((p) => (
            <View key={p.key} className={`chip jf-range-${p.key} ${preset === p.key ? 'is-on' : ''}`} onClick={() => choose(p.key)}>
              {p.text}
            </View>
          ))}
        </View>
      </View>
      {preset === 'custom' ? (
        <View className='two report-range'>
          <Picker mode='date' value={range.from ?? today} end={today} onChange={(e) => setRange((x) => ({ ...x, from: String(e.detail.value) }))} className='grow'>
            <View className='field-input field-picker jf-range-from'>
              <Text className='num'>{range.from}</Text>
              <Text className='muted'>开始</Text>
            </View>
          </Picker>
          <Picker mode='date' value={range.to ?? today} end={today} onChange={(e) => setRange((x) => ({ ...x, to: String(e.detail.value) }))} className='grow'>
            <View className='field-input field-picker jf-range-to'>
              <Text className='num'>{range.to}</Text>
              <Text className='muted'>结束</Text>
            </View>
          </Picker>
        </View>
      ) : null}
      {r.error && !r.data ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : !r.data ? <LoadingState /> : <Report data={r.data} />}
    </View>
  )
}

export default function ReportPage() {
  const rules = useResource(getRules)
  return (
    <StaffShell active='report'>
      {rules.error && !rules.data ? <ErrorState error={rules.error} onRetry={() => void rules.reload()} /> : !rules.data ? <LoadingState /> : <ReportView rules={rules.data} />}
    </StaffShell>
  )
}
