import { View, Text, Input, Picker } from '@tarojs/components'
import { useState } from 'react'
import { formatLocal, formatYuan, type RulesConfig } from '@jifen/shared'
import { listValueChanges, publishValueChange, simulateValueChange, type SimulationResponse, type ValueChangeRequest } from '../../services/economics'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { formatPoints, localTime } from '../../utils/format'
import { reportError, toast } from '../../utils/feedback'
import { StaffShell } from '../components/staff-shell'
import { Chips, PageHead, confirmAction } from '../components/admin-ui'
import '../economics/index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

const TZ = 'Asia/Shanghai'
const DAY_MS = 86_400_000
type Step = 'draft' | 'simulated' | 'published'

interface Form {
  title: string
  reason: string
  date: string
  anchorYuan: string
  pointsPerYuan: string
  mode: 'restore' | 'percent'
  percent: string
}

function toRequest(f: Form, rules: RulesConfig): ValueChangeRequest | string {
  const over = tooLong([['标题', f.title, 64], ['原因', f.reason, 500]])
  if (over) return over
  if (!f.title.trim() || !f.reason.trim()) return '请填写标题和原因'
  const patch: Record<string, unknown> = {}
  const fen = /^\d+(\.\d{1,2})?$/.test(f.anchorYuan.trim()) ? Math.round(Number(f.anchorYuan) * 100) : null
  if (fen === null || fen < 1) return '积分价值请填写金额(元)'
  if (fen !== Math.round((rules.anchor.fen * 100) / rules.anchor.points)) patch.anchor = { points: 100, fen }
  const ppy = /^\d{1,3}$/.test(f.pointsPerYuan.trim()) ? Number(f.pointsPerYuan) : null
  if (ppy === null) return '消费积分请填写整数'
  if (ppy !== rules.purchase.pointsPerYuan) patch.purchase = { pointsPerYuan: ppy }
  if (Object.keys(patch).length === 0) return '没有任何规则变化'
  const percent = Number(f.percent)
  if (f.mode === 'percent' && !(Number.isInteger(percent) && percent >= 1 && percent <= 100)) return '补偿比例为 1–100 的整数'
  return {
    title: f.title.trim(),
    reason: f.reason.trim(),
    effectiveAt: `${f.date}T00:00:00+08:00`,
    rules: patch,
    compensation: f.mode === 'restore' ? { mode: 'restore' } : { mode: 'percent', percent },
  }
}

function Wizard({ rules, noticeDays, onPublished }: { rules: RulesConfig; noticeDays: number; onPublished: () => void }) {
  const earliest = formatLocal(new Date(Date.now() + (noticeDays + 1) * DAY_MS), TZ, 'YYYY-MM-DD')
  const [f, setF] = useState<Form>({ title: '', reason: '', date: earliest, anchorYuan: formatYuan(Math.round((rules.anchor.fen * 100) / rules.anchor.points)), pointsPerYuan: String(rules.purchase.pointsPerYuan), mode: 'restore', percent: '10' })
  const [step, setStep] = useState<Step>('draft')
  const [sim, setSim] = useState<SimulationResponse | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (k: keyof Form, v: string) => {
    setF((x) => ({ ...x, [k]: v }))
    setStep('draft') // any edit needs a new simulation before publishing
  }
  const simulate = async () => {
    const req = toRequest(f, rules)
    if (typeof req === 'string') return toast(req)
    setBusy(true)
    try {
      setSim(await simulateValueChange(req))
      setStep('simulated')
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  const publish = async () => {
    const req = toRequest(f, rules)
    if (typeof req === 'string') return toast(req)
    if (!(await confirmAction('发布规则变更', `将于 ${f.date} 生效,并立即通知所有会员。发布后不可撤回。`, '发布'))) return
    setBusy(true)
    try {
      await publishValueChange(req)
      setStep('published')
      toast('已发布,会员已收到通知')
      onPublished()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card jf-vc-wizard'>
      <View className='vc-steps'>
        {(['draft', 'simulated', 'published'] as Step[]).map((s, i) => (
          <Text key={s} className={`vc-step jf-vc-step-${s} ${step === s ? 'is-on' : ''}`}>
            {i + 1}. {s === 'draft' ? '起草' : s === 'simulated' ? '模拟' : '发布'}
          </Text>
        ))}
      </View>
      <Text className='vc-rule block jf-vc-rule'>
        积分价值的任何变化须提前至少 {noticeDays} 天公告(最早 {earliest} 生效),生效时按规则向会员补偿,保证已获得积分的价值。
      </Text>
      <View className='field'>
        <Text className='field-label'>标题</Text>
        <Input className='field-input jf-vc-title' value={f.title} maxlength={-1} placeholder='例如 积分价值调整' onInput={(e) => set('title', e.detail.value)} />
        <LimitHint label='标题' text={f.title} max={64} />
      </View>
      <View className='field'>
        <Text className='field-label'>原因(会员可见)</Text>
        <Input className='field-input jf-vc-reason' value={f.reason} maxlength={-1} placeholder='例如 礼品采购成本上涨' onInput={(e) => set('reason', e.detail.value)} />
        <LimitHint label='原因' text={f.reason} max={500} />
      </View>
      <View className='two'>
        <View className='field grow'>
          <Text className='field-label'>100 积分价值(元)</Text>
          <Input className='field-input num jf-vc-anchor' type='digit' value={f.anchorYuan} onInput={(e) => set('anchorYuan', e.detail.value)} />
        </View>
        <View className='field grow'>
          <Text className='field-label'>消费每元得分</Text>
          <Input className='field-input num jf-vc-ppy' type='number' value={f.pointsPerYuan} onInput={(e) => set('pointsPerYuan', e.detail.value)} />
        </View>
      </View>
      <View className='field'>
        <Text className='field-label'>生效日期</Text>
        <Picker mode='date' value={f.date} start={earliest} onChange={(e) => set('date', String(e.detail.value))}>
          <View className='field-input field-picker jf-vc-date'>
            <Text className='num'>{f.date}</Text>
          </View>
        </Picker>
      </View>
      <View className='field'>
        <Text className='field-label'>补偿方式</Text>
        <Chips
          options={[
            { value: 'restore', label: '恢复余额价值' },
            { value: 'percent', label: '按余额比例' },
          ]}
          value={f.mode}
          onChange={(v) => set('mode', v)}
          cls='jf-vc-mode'
        />
        {f.mode === 'percent' ? <Input className='field-input num jf-vc-percent' type='number' value={f.percent} onInput={(e) => set('percent', e.detail.value)} /> : null}
      </View>
      {sim && step !== 'draft' ? (
        <View className='vc-sim jf-vc-sim'>
          {sim.changes.map((l) => (
            <Text key={l} className='block'>
              {l}
            </Text>
          ))}
          <View className='kv'>
            <Text className='kv-key'>受影响会员</Text>
            <Text className='kv-value num jf-vc-members'>{formatPoints(sim.membersAffected)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>补偿积分</Text>
            <Text className='kv-value num jf-vc-comp'>
              {formatPoints(sim.compensationPoints)} 分(¥{formatYuan(sim.compensationFen)})
            </Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>积分负债 前 → 后</Text>
            <Text className='kv-value num jf-vc-liability'>
              ¥{formatYuan(sim.liabilityFenBefore)} → ¥{formatYuan(sim.liabilityFenAfter)}
            </Text>
          </View>
        </View>
      ) : null}
      <View className='two'>
        <View className={`btn grow jf-vc-simulate ${busy ? 'is-busy' : ''}`} onClick={() => void simulate()}>
          模拟
        </View>
        <View className={`btn btn-primary grow jf-vc-publish ${step !== 'simulated' || busy ? 'is-disabled' : ''}`} onClick={() => step === 'simulated' && !busy && void publish()}>
          发布
        </View>
      </View>
    </View>
  )
}

/** Marketing's value-change wizard: draft -> simulate -> publish (30 days' notice), and the changes so far. */
export default function ValueChangePage() {
  const rules = useResource(getRules)
  const list = useResource(listValueChanges)
  return (
    <StaffShell active='value-change'>
      <PageHead title='规则变更' sub='积分价值、消费积分等规则的变更:提前公告,生效时补偿' />
      <View className='staff-columns'>
        <View className='staff-col'>
          {rules.error && !rules.data ? (
            <ErrorState error={rules.error} onRetry={() => void rules.reload()} />
          ) : !rules.data || !list.data ? (
            <LoadingState />
          ) : (
            <Wizard rules={rules.data} noticeDays={list.data.noticeDays} onPublished={() => void list.reload(true)} />
          )}
        </View>
        <View className='staff-col'>
          <View className='card'>
            <Text className='staff-card-title'>已发布的变更</Text>
            {!list.data ? (
              <LoadingState />
            ) : list.data.items.length === 0 ? (
              <Text className='muted'>尚无变更</Text>
            ) : (
              list.data.items.map((c) => (
                <View key={c.id} className='vc-change jf-vc-item'>
                  <View className='row-between'>
                    <Text className='budget-name'>{c.title}</Text>
                    <Text className={`tag ${c.status === 'applied' ? 'tag-success' : 'tag-warning'}`}>{c.status === 'applied' ? '已生效' : c.status === 'applying' ? '补偿中' : '待生效'}</Text>
                  </View>
                  <Text className='muted block'>
                    {localTime(c.effectiveAt, TZ, 'YYYY-MM-DD')} 生效 · 公告于 {localTime(c.announcedAt, TZ, 'YYYY-MM-DD')} · {c.createdBy}
                  </Text>
                  {c.changes.map((l) => (
                    <Text key={l} className='block'>
                      {l}
                    </Text>
                  ))}
                  <Text className='muted block'>
                    模拟补偿 {formatPoints(c.simulation.compensationPoints)} 分 · 已补偿 {formatPoints(c.compensationPoints)} 分({c.membersCompensated} 人)
                  </Text>
                </View>
              ))
            )}
          </View>
        </View>
      </View>
    </StaffShell>
  )
}
