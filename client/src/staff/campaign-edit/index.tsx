import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Picker, Switch } from '@tarojs/components'
import { useRef, useState } from 'react'
import {
  CAMPAIGN_BUDGET_MAX,
  CAMPAIGN_MULTIPLIER_PCT_MAX,
  CAMPAIGN_MULTIPLIER_PCT_MIN,
  CAMPAIGN_NAME_MAX,
  formatLocal,
  multiplierToPct,
  type CampaignChannel,
  type CampaignCreateRequest,
  type CampaignPatchRequest,
  type RulesConfig,
} from '@jifen/shared'
import { createCampaign, getCampaign, listStores, updateCampaign, type CampaignDto, type StoreDto } from '../../services/campaigns'
import { getRules } from '../../services/rules'
import { ApiError, IdempotentAction } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError, toast } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { LimitHint } from '../../components/limit-hint'

const HOUR_MS = 3_600_000
const FIELD_NAME: Record<string, string> = {
  name: '活动名称',
  multiplier: '积分倍数',
  startsAt: '开始时间',
  endsAt: '结束时间',
  tiers: '会员等级',
  storeIds: '门店',
  channels: '适用场景',
  stacksWithTier: '叠加方式',
  budgetPoints: '积分预算',
}

interface Form {
  name: string
  multiplier: string
  startDate: string
  startTime: string
  endDate: string
  endTime: string
  tiers: string[]
  storeIds: number[]
  storeText: string
  channels: CampaignChannel[]
  stacksWithTier: boolean
  budget: string
}

/** Wall-clock 'YYYY-MM-DDTHH:mm' in the rules' zone (Asia/Shanghai), split for the date and time pickers. */
function localParts(ms: number, tz: string): [string, string] {
  const s = formatLocal(new Date(ms), tz, 'YYYY-MM-DD HH:mm')
  return s.split(' ') as [string, string]
}

function blankForm(tz: string): Form {
  // Default: from now for 24 hours, the common "double points today" case.
  const now = Date.now()
  const [startDate, startTime] = localParts(now, tz)
  const [endDate, endTime] = localParts(now + 24 * HOUR_MS, tz)
  return { name: '', multiplier: '2', startDate, startTime, endDate, endTime, tiers: [], storeIds: [], storeText: '', channels: ['purchase'], stacksWithTier: false, budget: '2000000' }
}

function formOf(c: CampaignDto): Form {
  const [startDate, startTime] = c.startsAtLocal.split('T') as [string, string]
  const [endDate, endTime] = c.endsAtLocal.split('T') as [string, string]
  return {
    name: c.name,
    multiplier: String(c.multiplier),
    startDate,
    startTime,
    endDate,
    endTime,
    tiers: c.tiers,
    storeIds: c.storeIds,
    storeText: c.storeIds.join(','),
    channels: c.channels,
    stacksWithTier: c.stacksWithTier,
    budget: String(c.budgetPoints),
  }
}

/** The request from the form, or the first problem in Chinese. */
function toRequest(f: Form, storesKnown: boolean, nowLocal: string): { ok: true; body: CampaignCreateRequest } | { ok: false; message: string } {
  const name = f.name.trim()
  if (!name || name.length > CAMPAIGN_NAME_MAX) return { ok: false, message: `请填写活动名称(最多 ${CAMPAIGN_NAME_MAX} 字)` }
  const mText = f.multiplier.trim()
  const multiplier = /^\d{1,2}(\.\d{1,2})?$/.test(mText) ? Number(mText) : NaN
  const pct = multiplierToPct(multiplier)
  if (pct === null || pct < CAMPAIGN_MULTIPLIER_PCT_MIN || pct > CAMPAIGN_MULTIPLIER_PCT_MAX) return { ok: false, message: '积分倍数为 1.1 到 10,最多两位小数' }
  const startsAt = `${f.startDate}T${f.startTime}`
  const endsAt = `${f.endDate}T${f.endTime}`
  if (endsAt <= startsAt) return { ok: false, message: '结束时间必须晚于开始时间' }
  if (endsAt <= nowLocal) return { ok: false, message: '结束时间必须在未来' }
  if (f.channels.length === 0) return { ok: false, message: '请至少选择一个适用场景' }
  let storeIds = f.storeIds
  if (!storesKnown) {
    const parts = f.storeText.split(/[,,\s]+/).filter(Boolean)
    if (parts.some((p) => !/^[1-9]\d{0,9}$/.test(p))) return { ok: false, message: '门店 ID 用逗号分隔,留空表示全部门店' }
    storeIds = [...new Set(parts.map(Number))]
  }
  if (!/^\d{1,10}$/.test(f.budget.trim())) return { ok: false, message: '积分预算为正整数' }
  const budgetPoints = Number(f.budget.trim())
  if (budgetPoints < 1 || budgetPoints > CAMPAIGN_BUDGET_MAX) return { ok: false, message: `积分预算为 1 到 ${formatPoints(CAMPAIGN_BUDGET_MAX)}` }
  return { ok: true, body: { name, multiplier, startsAt, endsAt, tiers: f.tiers, storeIds, channels: f.channels, stacksWithTier: f.stacksWithTier, budgetPoints } }
}

/** Only the fields that changed, so an edit never trips "start can no longer change" by resending it. */
function patchOf(body: CampaignCreateRequest, c: CampaignDto): CampaignPatchRequest {
  const p: CampaignPatchRequest = {}
  if (body.name !== c.name) p.name = body.name
  if (multiplierToPct(body.multiplier) !== c.multiplierPct) p.multiplier = body.multiplier
  if (body.startsAt !== c.startsAtLocal) p.startsAt = body.startsAt
  if (body.endsAt !== c.endsAtLocal) p.endsAt = body.endsAt
  const same = <T,>(a: T[], b: T[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join()
  if (!same(body.tiers, c.tiers)) p.tiers = body.tiers
  if (!same(body.storeIds, c.storeIds)) p.storeIds = body.storeIds
  if (!same(body.channels, c.channels)) p.channels = body.channels
  if (body.stacksWithTier !== c.stacksWithTier) p.stacksWithTier = body.stacksWithTier
  if (body.budgetPoints !== c.budgetPoints) p.budgetPoints = body.budgetPoints
  return p
}

function serverMessage(e: unknown): string | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED' || !Array.isArray(e.details)) return null
  const lines = (e.details as { path?: string; message?: string }[]).map((d) => `${FIELD_NAME[String(d.path).split('.')[0] ?? ''] ?? d.path}:${d.message}`)
  return lines.length ? `${e.message}——${lines.join(';')}` : null
}

function leave() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
  else void Taro.redirectTo({ url: '/staff/campaigns/index' })
}

interface Loaded {
  rules: RulesConfig
  stores: StoreDto[] | null
  campaign: CampaignDto | null
}

function Editor({ data }: { data: Loaded }) {
  const { rules, stores, campaign } = data
  const tz = rules.timezone
  const action = useRef(new IdempotentAction())
  const [f, setF] = useState<Form>(() => (campaign ? formOf(campaign) : blankForm(tz)))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const started = campaign !== null && campaign.status !== 'scheduled'
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }))
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

  const submit = async () => {
    if (busy) return
    const nowLocal = formatLocal(new Date(), tz, 'YYYY-MM-DD[T]HH:mm')
    const req = toRequest(f, stores !== null, nowLocal)
    if (!req.ok) {
      setError(req.message)
      return
    }
    setBusy(true)
    setError(null)
    try {
      if (campaign) {
        const patch = patchOf(req.body, campaign)
        if (Object.keys(patch).length === 0) {
          toast('没有修改')
          return
        }
        await updateCampaign(campaign.id, patch)
        toast('已保存')
      } else {
        await action.current.run(req.body, (key) => createCampaign(req.body, key))
        toast('活动已创建')
      }
      leave()
    } catch (e) {
      handleActionError(e, setError, () => void submit())
      const detail = serverMessage(e)
      if (detail) setError(detail)
    } finally {
      setBusy(false)
    }
  }

  const tierText = f.tiers.length === 0 ? '全部等级会员' : `${f.tiers.map((t) => rules.tiers.find((x) => x.code === t)?.name ?? t).join('、')}会员`
  const storeText =
    stores === null
      ? f.storeText.trim()
        ? `门店 ${f.storeText.trim()}`
        : '全部门店'
      : f.storeIds.length === 0
        ? '全部门店'
        : f.storeIds.map((id) => stores.find((s) => s.id === id)?.name ?? `#${id}`).join('、')
  const channelText = f.channels.map((c) => (c === 'purchase' ? '消费' : '签到')).join('和') || '—'

  return (
    <View className='staff-columns'>
      <View className='staff-col'>
        <View className='card'>
          <Text className='staff-card-title'>{campaign ? `编辑活动 #${campaign.id}` : '新建活动'}</Text>
          <View className='field'>
            <Text className='field-label'>活动名称</Text>
            <Input className='field-input jf-campaign-name-input' value={f.name} maxlength={-1} placeholder='例如 周六双倍积分' onInput={(e) => set('name', e.detail.value)} />
            <LimitHint label='活动名称' text={f.name} max={CAMPAIGN_NAME_MAX} />
          </View>
          <View className='two'>
            <View className='field grow'>
              <Text className='field-label'>积分倍数</Text>
              <Input className='field-input num jf-campaign-multiplier' type='digit' value={f.multiplier} maxlength={-1} placeholder='2' onInput={(e) => set('multiplier', e.detail.value)} />
              <Text className='field-hint'>1.1 – 10,如 1.5、2</Text>
            </View>
            <View className='field grow'>
              <Text className='field-label'>积分预算(分)</Text>
              <Input className='field-input num jf-campaign-budget' type='number' value={f.budget} maxlength={-1} onInput={(e) => set('budget', e.detail.value)} />
              <Text className='field-hint'>活动额外发放的积分上限</Text>
            </View>
          </View>
          <Text className='field-label'>活动时间(北京时间)</Text>
          <View className='two'>
            <Picker mode='date' value={f.startDate} onChange={(e) => set('startDate', String(e.detail.value))} disabled={started} className='grow'>
              <View className={`field-input field-picker jf-campaign-start-date ${started ? 'is-readonly' : ''}`}>
                <Text className='num'>{f.startDate}</Text>
                <Text className='muted'>开始</Text>
              </View>
            </Picker>
            <Picker mode='time' value={f.startTime} onChange={(e) => set('startTime', String(e.detail.value))} disabled={started} className='grow'>
              <View className={`field-input field-picker jf-campaign-start-time ${started ? 'is-readonly' : ''}`}>
                <Text className='num'>{f.startTime}</Text>
              </View>
            </Picker>
          </View>
          <View className='two picker-gap'>
            <Picker mode='date' value={f.endDate} onChange={(e) => set('endDate', String(e.detail.value))} className='grow'>
              <View className='field-input field-picker jf-campaign-end-date'>
                <Text className='num'>{f.endDate}</Text>
                <Text className='muted'>结束</Text>
              </View>
            </Picker>
            <Picker mode='time' value={f.endTime} onChange={(e) => set('endTime', String(e.detail.value))} className='grow'>
              <View className='field-input field-picker jf-campaign-end-time'>
                <Text className='num'>{f.endTime}</Text>
              </View>
            </Picker>
          </View>
          {started ? <Text className='field-hint'>活动已开始,开始时间不可修改;如需立即停止请在列表中「结束活动」。</Text> : null}

          <View className='field field-top'>
            <Text className='field-label'>会员等级(不选 = 全部)</Text>
            <View className='chips'>
              {rules.tiers.map((t) => (
                <View key={t.code} className={`chip jf-tier-chip jf-tier-chip-${t.code} ${f.tiers.includes(t.code) ? 'is-on' : ''}`} onClick={() => set('tiers', toggle(f.tiers, t.code))}>
                  {t.name}
                </View>
              ))}
            </View>
          </View>
          <View className='field'>
            <Text className='field-label'>门店(不选 = 全部)</Text>
            {stores ? (
              <View className='chips'>
                {stores.map((s) => (
                  <View key={s.id} className={`chip jf-store-chip ${f.storeIds.includes(s.id) ? 'is-on' : ''}`} onClick={() => set('storeIds', toggle(f.storeIds, s.id))}>
                    {s.name}
                  </View>
                ))}
              </View>
            ) : (
              <Input className='field-input jf-campaign-stores' value={f.storeText} placeholder='门店 ID,逗号分隔;留空为全部门店' onInput={(e) => set('storeText', e.detail.value)} />
            )}
          </View>
          <View className='field'>
            <Text className='field-label'>适用场景</Text>
            <View className='chips'>
              {(['purchase', 'checkin'] as const).map((c) => (
                <View key={c} className={`chip jf-channel-chip-${c} ${f.channels.includes(c) ? 'is-on' : ''}`} onClick={() => set('channels', toggle(f.channels, c))}>
                  {c === 'purchase' ? '消费积分' : '签到积分'}
                </View>
              ))}
            </View>
          </View>
          <View className='field switch-row'>
            <View>
              <Text className='field-label'>与会员等级加成叠加</Text>
              <Text className='field-hint'>关闭时,会员获得活动加成与等级加成中较高的一项</Text>
            </View>
            <Switch className='jf-campaign-stacks' checked={f.stacksWithTier} color='#e8541e' onChange={(e) => set('stacksWithTier', e.detail.value)} />
          </View>
        </View>
      </View>
      <View className='staff-col'>
        <View className='card'>
          <Text className='staff-card-title'>活动预览</Text>
          <Text className='campaign-preview jf-campaign-preview'>
            {f.startDate} {f.startTime} 至 {f.endDate} {f.endTime},{tierText}在{storeText}的{channelText}积分按{' '}
            <Text className='num preview-num'>{f.multiplier || '—'}</Text> 倍计算,活动加成最多发放 {/^\d+$/.test(f.budget) ? formatPoints(Number(f.budget)) : '—'} 分。
          </Text>
          {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
          <View className={`btn btn-primary btn-block jf-campaign-save ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
            {busy ? '保存中…' : campaign ? '保存修改' : '创建活动'}
          </View>
          <View className='btn btn-plain btn-block cancel-gap' onClick={leave}>
            取消
          </View>
        </View>
      </View>
    </View>
  )
}

function CampaignEditPageBody() {
  const { params } = useRouter()
  const id = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null
  const r = useResource<Loaded>(async () => {
    const [rules, stores, campaign] = await Promise.all([
      getRules(),
      // Stores feed the chips; without the route the form takes store ids as text.
      listStores().catch(() => null),
      id !== null ? getCampaign(id) : Promise.resolve(null),
    ])
    return { rules, stores, campaign }
  })
  return (
    <>
      {r.error && !r.data ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : !r.data ? <LoadingState /> : <Editor data={r.data} />}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function CampaignEditPage() {
  return (
    <StaffShell active='campaigns'>
      <CampaignEditPageBody />
    </StaffShell>
  )
}
