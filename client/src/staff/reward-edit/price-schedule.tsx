import { View, Text, Input, Picker } from '@tarojs/components'
import { PRICE_REASON_MAX, PRICE_SCHEDULE_MAX, anchorDeviationBp, belowCost, formatLocal, outsideAnchorBand, parseLocal, pointsToFen, priceInForce, type RulesConfig } from '@jifen/shared'
import type { RewardAdminDto } from '../../services/rewards-admin'
import { formatPoints } from '../../utils/format'
import { yuanShort } from '../../utils/money'
import { LimitHint } from '../../components/limit-hint'

/**
 * The reward's price schedule in the form (skimming, issue 10.2): dated steps (from 0:00 Beijing time on the day
 * a new points price applies), each with its yuan worth at the anchor, how far it strays from the anchor price and
 * whether it falls under cost (the system then retires the reward on that day); the price in force now; the
 * pricing reason, asked when the base price or any step is outside the anchor band.
 */
export interface Step {
  day: string
  /** The step's wall-clock time ('00:00' for steps made here; kept as stored for others). */
  time: string
  points: string
}

const DAY_MS = 86_400_000

export function stepsOf(r: RewardAdminDto | null): Step[] {
  return (r?.priceSchedule ?? []).map((s) => ({ day: s.from.slice(0, 10), time: s.from.slice(11, 16) || '00:00', points: String(s.pointsPrice) }))
}

const pointsOf = (text: string): number | null => (/^\d{1,9}$/.test(text) && Number(text) > 0 ? Number(text) : null)
const fromOf = (s: Step) => `${s.day}T${s.time}`

/** The steps as the API takes them (ascending), or what to fix. */
export function scheduleBody(steps: Step[]): { steps: { from: string; pointsPrice: number }[] } | { error: string } {
  const out: { from: string; pointsPrice: number }[] = []
  for (const [i, s] of steps.entries()) {
    const p = pointsOf(s.points)
    if (p === null) return { error: `调价第 ${i + 1} 步:积分价请填写正整数` }
    out.push({ from: fromOf(s), pointsPrice: p })
  }
  out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  if (out.some((s, i) => i > 0 && s.from === out[i - 1]!.from)) return { error: '同一天只能有一个调价' }
  return { steps: out }
}

const startMs = (s: Step, tz: string) => parseLocal(fromOf(s), tz).getTime()

/** The price in force now by the shared rule (the last step started, else the base price); null without a base price. */
export function priceInForceOf(base: number | null, steps: Step[], tz: string): number | null {
  if (base === null) return null
  const valid = steps.flatMap((s) => (pointsOf(s.points) === null ? [] : [{ fromMs: startMs(s, tz), pointsPrice: pointsOf(s.points)! }]))
  return priceInForce(valid.sort((a, b) => a.fromMs - b.fromMs), base, Date.now())
}

/** "≈ ¥9.00 · 比锚定价 -10%": a price's worth, and its distance from the anchor price (flagged outside the band). */
function Worth({ points, faceFen, costFen, rules }: { points: number; faceFen: number | null; costFen: number | null; rules: RulesConfig }) {
  const fen = pointsToFen(points, rules.anchor)
  const bp = faceFen ? anchorDeviationBp(points, faceFen, rules.anchor) : null
  const off = faceFen !== null && outsideAnchorBand(points, faceFen, rules.anchor, rules.anchorBandPct)
  const loss = costFen !== null && costFen > 0 && belowCost(points, costFen, rules.anchor)
  const pct = bp === null ? '' : `${bp > 0 ? '+' : ''}${Math.trunc(bp / 100)}%`
  return (
    <View className='step-worth jf-step-worth'>
      <Text className='num'>≈ ¥{yuanShort(fen)}</Text>
      {bp !== null ? <Text className={`num ${off ? 'is-negative' : 'muted'}`}>比锚定价 {pct}</Text> : null}
      {off ? <Text className='tag tag-warning jf-step-off'>超出 ±{rules.anchorBandPct}%</Text> : null}
      {loss ? <Text className='tag tag-danger jf-step-loss'>低于成本 ¥{yuanShort(costFen!)},当天自动下架</Text> : null}
    </View>
  )
}

interface Props {
  rules: RulesConfig
  base: number | null
  faceFen: number | null
  costFen: number | null
  steps: Step[]
  onSteps: (steps: Step[]) => void
  reason: string
  onReason: (reason: string) => void
  /** The server asked for a reason (409 PRICE_REASON_REQUIRED): the field is marked. */
  reasonMissing: boolean
}

export function PriceSchedule({ rules, base, faceFen, costFen, steps, onSteps, reason, onReason, reasonMissing }: Props) {
  const tz = rules.timezone
  const inForce = priceInForceOf(base, steps, tz)
  const tomorrow = formatLocal(new Date(Date.now() + DAY_MS), tz, 'YYYY-MM-DD')
  const setStep = (i: number, patch: Partial<Step>) => onSteps(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const prices = [base, ...steps.map((s) => pointsOf(s.points))].filter((p): p is number => p !== null)
  const needsReason = faceFen !== null && prices.some((p) => outsideAnchorBand(p, faceFen, rules.anchor, rules.anchorBandPct))
  return (
    <View className='field price-schedule jf-price-schedule'>
      <Text className='field-label'>调价计划(北京时间当天 0 点起按新积分价兑换)</Text>
      {steps.map((s, i) => {
        const p = pointsOf(s.points)
        const started = startMs(s, tz) <= Date.now()
        return (
          <View key={i} className='price-step jf-price-step'>
            <View className='price-step-line'>
              <Picker mode='date' value={s.day} onChange={(e) => setStep(i, { day: String(e.detail.value), time: '00:00' })} className='grow'>
                <View className='field-input field-picker jf-step-date'>
                  <Text className='num'>{s.day}</Text>
                  <Text className='muted'>{s.time === '00:00' ? '起' : `${s.time} 起`}</Text>
                </View>
              </Picker>
              <Input className={`field-input num price-step-points jf-step-points ${p === null ? 'is-invalid' : ''}`} type='number' value={s.points} placeholder='积分' onInput={(e) => setStep(i, { points: e.detail.value })} />
              <Text className='price-step-remove jf-step-remove' onClick={() => onSteps(steps.filter((_, j) => j !== i))}>
                删除
              </Text>
            </View>
            <View className='price-step-info'>
              <Text className={`tag ${started ? 'tag-success' : 'tag-info'} jf-step-state`}>{started ? '已生效' : '待生效'}</Text>
              {p !== null ? <Worth points={p} faceFen={faceFen} costFen={costFen} rules={rules} /> : null}
            </View>
          </View>
        )
      })}
      {steps.length < PRICE_SCHEDULE_MAX ? (
        <Text className='field-hint btn-text jf-step-add' onClick={() => onSteps([...steps, { day: tomorrow, time: '00:00', points: base !== null ? String(base) : '' }])}>
          + 添加调价
        </Text>
      ) : null}
      {inForce !== null ? (
        <View className='price-now jf-price-now'>
          <Text>现行价格 </Text>
          <Text className='num price-now-points jf-price-in-force'>{formatPoints(inForce)} 分</Text>
          <Worth points={inForce} faceFen={faceFen} costFen={costFen} rules={rules} />
        </View>
      ) : null}
      {needsReason || reasonMissing ? (
        <View className='field price-reason'>
          <Text className='field-label'>定价理由(有价格偏离锚定价超过 ±{rules.anchorBandPct}%:改价时必填)</Text>
          <Input className={`field-input jf-reward-price-reason ${reasonMissing && !reason.trim() ? 'is-invalid' : ''}`} value={reason} maxlength={-1} placeholder='例如 新品推广、清仓' onInput={(e) => onReason(e.detail.value)} />
          <LimitHint label='定价理由' text={reason} max={PRICE_REASON_MAX} />
        </View>
      ) : null}
    </View>
  )
}
