import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { formatBp, formatYuan } from '@jifen/shared'
import { getFinance, getFinanceCsv, getGuard, getPlan, savePlan, type FinanceResponse, type GuardResponse, type PlanResponse } from '../../services/economics'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { ProgressBar } from '../../components/progress-bar'
import { formatPoints, localTime } from '../../utils/format'
import { reportError, toast } from '../../utils/feedback'
import { StaffShell } from '../components/staff-shell'
import { PageHead } from '../components/admin-ui'
import { saveCsv } from '../../services/files'
import './index.css'

const TZ = 'Asia/Shanghai'
const yuanToFen = (s: string): number | null => (/^\d{1,10}(\.\d{1,2})?$/.test(s.trim()) ? Math.round(Number(s.trim()) * 100) : null)
const pctToBp = (s: string): number | null => (/^\d{1,3}(\.\d{1,2})?$/.test(s.trim()) ? Math.round(Number(s.trim()) * 100) : null)

/** A gauge: actual against planned, red past 100 %. */
function Gauge({ label, actual, planned, usedBp, cls, hint }: { label: string; actual: string; planned: string | null; usedBp: number | null; cls: string; hint?: string }) {
  const pct = usedBp === null ? 0 : Math.floor(usedBp / 100)
  return (
    <View className={`eco-gauge ${cls}`}>
      <View className='row-between'>
        <Text className='eco-gauge-label'>{label}</Text>
        <Text className='num eco-gauge-pct'>{usedBp === null ? '—' : formatBp(usedBp)}</Text>
      </View>
      <ProgressBar pct={pct} color={pct >= 100 ? 'var(--color-danger)' : pct >= 80 ? 'var(--color-warning)' : undefined} />
      <Text className='muted block'>
        {actual}
        {planned ? ` / ${planned}` : ' · 未设定计划'}
        {hint ? ` · ${hint}` : ''}
      </Text>
    </View>
  )
}

function PlanCard({ data, onSaved }: { data: PlanResponse; onSaved: (p: PlanResponse) => void }) {
  const p = data.plan
  // Filled once from the plan (the parent re-keys this card when a saved plan comes back): a Taro H5 Input
  // whose value changes before it has rendered throws, so the fields never start empty and fill a tick later.
  const [f, setF] = useState(() => ({ sales: formatYuan(p.expectedSalesFen), cap: String(p.issuanceCapBp / 100), budget: String(p.redemptionBudgetBp / 100), cost: formatYuan(p.rewardCostBudgetFen) }))
  const [busy, setBusy] = useState(false)
  const save = async () => {
    const body = { expectedSalesFen: yuanToFen(f.sales), issuanceCapBp: pctToBp(f.cap), redemptionBudgetBp: pctToBp(f.budget), rewardCostBudgetFen: yuanToFen(f.cost) }
    if (Object.values(body).some((v) => v === null)) return toast('请填写金额(元)与比例(%)')
    setBusy(true)
    try {
      onSaved(await savePlan(p.year, body as { expectedSalesFen: number; issuanceCapBp: number; redemptionBudgetBp: number; rewardCostBudgetFen: number }))
      toast('年度计划已保存')
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  const g = data.progress
  return (
    <View className='card jf-plan-card'>
      <Text className='staff-card-title'>{p.year} 年定量计划</Text>
      <View className='eco-gauges'>
        <Gauge label='销售额' actual={`¥${formatYuan(g.sales.actual)}`} planned={g.sales.planned ? `¥${formatYuan(g.sales.planned)}` : null} usedBp={g.sales.usedBp} cls='jf-gauge-sales' />
        <Gauge
          label='积分发行 / 上限'
          actual={`¥${formatYuan(g.issuance.actual)}(${formatPoints(g.issuance.points)} 分)`}
          planned={g.issuance.planned ? `¥${formatYuan(g.issuance.planned)}` : null}
          usedBp={g.issuance.usedBp}
          cls='jf-gauge-issuance'
        />
        <Gauge
          label='兑换 / 兑换预算'
          actual={`¥${formatYuan(g.redemption.actual)}`}
          planned={g.redemption.planned ? `¥${formatYuan(g.redemption.planned)}` : null}
          usedBp={g.redemption.usedBp}
          cls='jf-gauge-redemption'
          hint='消耗率目标约 20%'
        />
        <Gauge
          label='礼品成本 / 预算'
          actual={`¥${formatYuan(g.rewardCost.actual)}`}
          planned={g.rewardCost.planned ? `¥${formatYuan(g.rewardCost.planned)}` : null}
          usedBp={g.rewardCost.usedBp}
          cls='jf-gauge-cost'
        />
      </View>
      <Text className={`block eco-note jf-plan-note ${g.bonusesStopped ? 'is-stopped' : ''}`}>{g.note}</Text>
      <View className='two'>
        <View className='field grow'>
          <Text className='field-label'>预计销售额(元)</Text>
          <Input className='field-input num jf-plan-sales' type='digit' value={f.sales} onInput={(e) => setF((x) => ({ ...x, sales: e.detail.value }))} />
        </View>
        <View className='field grow'>
          <Text className='field-label'>发行上限(销售额 %)</Text>
          <Input className='field-input num jf-plan-cap' type='digit' value={f.cap} onInput={(e) => setF((x) => ({ ...x, cap: e.detail.value }))} />
        </View>
      </View>
      <View className='two'>
        <View className='field grow'>
          <Text className='field-label'>兑换预算(发行价值 %)</Text>
          <Input className='field-input num jf-plan-budget' type='digit' value={f.budget} onInput={(e) => setF((x) => ({ ...x, budget: e.detail.value }))} />
        </View>
        <View className='field grow'>
          <Text className='field-label'>礼品成本预算(元)</Text>
          <Input className='field-input num jf-plan-cost' type='digit' value={f.cost} onInput={(e) => setF((x) => ({ ...x, cost: e.detail.value }))} />
        </View>
      </View>
      <View className={`btn btn-primary jf-plan-save ${busy ? 'is-busy' : ''}`} onClick={() => void save()}>
        保存计划
      </View>
    </View>
  )
}

function GuardCard({ g }: { g: GuardResponse }) {
  return (
    <View className='card jf-guard-card'>
      <View className='row-between'>
        <Text className='staff-card-title'>积分调控(通胀保护)</Text>
        <Text className={`tag ${g.engaged ? 'tag-danger' : 'tag-success'} jf-guard-state`}>{g.engaged ? `调控中 ×${g.factorPct / 100}` : '未启动'}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>未兑积分价值</Text>
        <Text className='kv-value num'>¥{formatYuan(g.outstandingFen)}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>近 12 个月销售额</Text>
        <Text className='kv-value num'>¥{formatYuan(g.trailingSalesFen)}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>启动线 / 解除线</Text>
        <Text className='kv-value num'>{g.engageAboveFen === null ? '暂无销售数据' : `¥${formatYuan(g.engageAboveFen)} / ¥${formatYuan(g.releaseBelowFen ?? 0)}`}</Text>
      </View>
      <Text className='muted block'>超过启动线后,新消费积分按 {g.configuredFactorPct}% 发放;回落到解除线以下才解除(两条线之间保持不变)。已获得的积分价值不变。</Text>
      <Text className='field-label block eco-history-title'>调控记录</Text>
      {g.history.length === 0 ? (
        <Text className='muted'>尚无记录</Text>
      ) : (
        g.history.map((h) => (
          <View key={h.id} className='kv jf-guard-history'>
            <Text className='kv-key'>
              {localTime(h.createdAt, TZ, 'YYYY-MM-DD HH:mm')} {h.kind === 'GUARD_ENGAGE' ? '启动' : '解除'}(规则版本 {h.id})
            </Text>
            <Text className='kv-value'>{h.reason}</Text>
          </View>
        ))
      )}
    </View>
  )
}

function FinanceCard({ f }: { f: FinanceResponse }) {
  const download = async () => {
    try {
      if (!saveCsv('积分财务数据.csv', await getFinanceCsv())) toast('请在电脑浏览器中下载')
    } catch (e) {
      void reportError(e)
    }
  }
  const rows: [string, string][] = [
    ['积分负债(按锚定价值)', `¥${formatYuan(f.liability.fen)} · ${formatPoints(f.liability.points)} 分`],
    ['预计失效率(近 12 个月)', `${f.breakage.rate.pct}(过期 ${formatPoints(f.breakage.expiredPoints)} / 过期+兑换 ${formatPoints(f.breakage.expiredPoints + f.breakage.redeemedPoints)})`],
    ['扣除预计失效后负债', `¥${formatYuan(f.netLiabilityFen)}`],
    ['兑换面值 / 成本', `¥${formatYuan(f.redemptions.faceValueFen)} / ¥${formatYuan(f.redemptions.costFen)}(积分价值 ¥${formatYuan(f.redemptions.pointsValueFen)})`],
    ['发放占销售额', `${f.issuance.shareOfSales.pct}(¥${formatYuan(f.issuance.fen)} / ¥${formatYuan(f.issuance.salesFen)})`],
  ]
  return (
    <View className='card jf-finance-card'>
      <View className='row-between'>
        <Text className='staff-card-title'>财务数据</Text>
        <View className='btn btn-small jf-finance-csv' onClick={() => void download()}>
          导出 CSV
        </View>
      </View>
      {rows.map(([k, v]) => (
        <View key={k} className='kv'>
          <Text className='kv-key'>{k}</Text>
          <Text className='kv-value num'>{v}</Text>
        </View>
      ))}
      <Text className='field-label block eco-history-title'>偏离锚定价超过 ±{f.anchorBandPct}% 的礼品</Text>
      {f.offAnchorRewards.length === 0 ? (
        <Text className='muted block'>无:所有礼品均按锚定价值定价</Text>
      ) : (
        f.offAnchorRewards.map((r) => (
          <View key={r.id} className='kv jf-off-anchor'>
            <Text className='kv-key'>{r.title}</Text>
            <Text className='kv-value num'>
              {formatPoints(r.pointsPrice)} 分 / 锚定 {formatPoints(r.anchorPoints)} 分 · {r.deviation.pct}
              {r.reason ? ` · 理由:${r.reason}` : ''}
            </Text>
          </View>
        ))
      )}
      {f.retiredBelowCost.length > 0 ? <Text className='field-label block eco-history-title'>价格低于成本、已被系统下架的礼品</Text> : null}
      {f.retiredBelowCost.map((r) => (
        <View key={`retired-${r.id}-${r.retiredAt}`} className='kv jf-retired-below-cost'>
          <Text className='kv-key'>{r.title}</Text>
          <Text className='kv-value'>{r.retiredAt.slice(0, 10)} 下架</Text>
        </View>
      ))}
      {f.refreshDue.length > 0 ? <Text className='field-label block eco-history-title'>六个月未更新、待迭代的礼品</Text> : null}
      {f.refreshDue.map((r) => (
        <View key={`refresh-${r.id}`} className='kv jf-refresh-due'>
          <Text className='kv-key'>{r.title}</Text>
          <Text className='kv-value'>上次更新 {r.updatedAt.slice(0, 10)}</Text>
        </View>
      ))}
      <Text className='muted block'>按 IFRS 15 口径:负债按锚定价值计,失效率取近 12 个月 过期 ÷(过期 + 兑换)。</Text>
    </View>
  )
}

/** Marketing's economics page: the year's plan with gauges, the inflation guard, the finance figures. */
export default function EconomicsPage() {
  const plan = useResource(() => getPlan())
  const guard = useResource(getGuard)
  const finance = useResource(getFinance)
  const [saved, setSaved] = useState<PlanResponse | null>(null)
  const planData = saved ?? plan.data
  return (
    <StaffShell active='economics'>
      <PageHead title='积分经济' sub='定量计划、积分调控与财务口径:让 100 积分始终约值 1 元' />
      <View className='staff-columns'>
        <View className='staff-col'>
          {plan.error && !planData ? <ErrorState error={plan.error} onRetry={() => void plan.reload()} /> : !planData ? <LoadingState /> : <PlanCard key={`${planData.plan.year}-${planData.plan.updatedAt ?? ''}`} data={planData} onSaved={setSaved} />}
        </View>
        <View className='staff-col'>
          {guard.error && !guard.data ? <ErrorState error={guard.error} onRetry={() => void guard.reload()} /> : !guard.data ? <LoadingState /> : <GuardCard g={guard.data} />}
          {finance.error && !finance.data ? <ErrorState error={finance.error} onRetry={() => void finance.reload()} /> : !finance.data ? <LoadingState /> : <FinanceCard f={finance.data} />}
        </View>
      </View>
    </StaffShell>
  )
}
