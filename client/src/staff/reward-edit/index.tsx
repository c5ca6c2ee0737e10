import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Textarea, Image, Picker } from '@tarojs/components'
import { useState } from 'react'
import {
  outsideAnchorBand,
  REWARD_CATEGORY_MAX,
  REWARD_DESCRIPTION_MAX,
  REWARD_IMAGES_MAX,
  REWARD_STATUSES,
  REWARD_STATUS_NAMES,
  REWARD_TITLE_MAX,
  type RewardDto,
  type RewardStatus,
  type RulesConfig,
} from '@jifen/shared'
import { createReward, getRewardAdmin, updateReward, uploadImage, type RewardAdminDto } from '../../services/rewards-admin'
import { imageTooLarge, pickImage } from '../../services/files'
import { getRules } from '../../services/rules'
import { assetUrl } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { RewardCard } from '../../components/reward-card'
import { handleActionError, toast } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { parseYuanToFen, yuanShort } from '../../utils/money'
import { StaffShell } from '../components/staff-shell'
import { Chips } from '../components/admin-ui'
import { StockPanel, PriceHistory } from './stock-panel'
import '../components/backoffice.css'
import './index.css'

interface Form {
  title: string
  description: string
  category: string
  images: string[]
  faceYuan: string
  costYuan: string
  points: string
  stock: string
  minTier: string
  limit: string
  fromDay: string
  toDay: string
  status: RewardStatus
  priceReason: string
}

type Loaded = { rules: RulesConfig; detail: Awaited<ReturnType<typeof getRewardAdmin>> | null }

/** Fen as the text a yuan field shows: 2200 -> "22", 150 -> "1.50". */
const yuanText = (fen: number) => yuanShort(fen)
/** '0' is a valid cost (a free sample); parseYuanToFen refuses 0 for amounts paid. */
const fenOf = (text: string) => (text.trim() === '0' ? 0 : parseYuanToFen(text))
/** Anchor price: what the face value is worth in points (100 points = 1 yuan by default). */
const anchorPoints = (fen: number, rules: RulesConfig) => Math.round((fen * rules.anchor.points) / rules.anchor.fen)

function formOf(r: RewardAdminDto | null): Form {
  return {
    title: r?.title ?? '',
    description: r?.description ?? '',
    category: r?.category ?? '',
    images: r?.images ?? [],
    faceYuan: r ? yuanText(r.faceValueFen) : '',
    costYuan: r ? yuanText(r.costFen) : '',
    points: r ? String(r.pointsPrice) : '',
    stock: r ? String(r.stock) : '100',
    minTier: r?.minTier ?? '',
    limit: r?.perMemberLimit ? String(r.perMemberLimit) : '',
    fromDay: r?.activeFrom?.slice(0, 10) ?? '',
    toDay: r?.activeTo?.slice(0, 10) ?? '',
    status: r?.status ?? 'draft',
    priceReason: '',
  }
}

function Editor({ data, onSaved }: { data: Loaded; onSaved: () => void }) {
  const { rules, detail } = data
  const reward = detail?.reward ?? null
  const [f, setF] = useState<Form>(() => formOf(reward))
  const [busy, setBusy] = useState(false)
  const [uploading, setUploading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }))

  const faceFen = fenOf(f.faceYuan)
  const costFen = fenOf(f.costYuan)
  const points = /^\d{1,9}$/.test(f.points) ? Number(f.points) : null
  const stock = /^\d{1,7}$/.test(f.stock) ? Number(f.stock) : null
  const limit = f.limit.trim() === '' ? null : /^\d{1,4}$/.test(f.limit) ? Number(f.limit) : NaN

  const addImage = async () => {
    if (uploading || f.images.length >= REWARD_IMAGES_MAX) return
    const picked = await pickImage()
    if (!picked) return
    if (imageTooLarge(picked)) return setError('图片不能超过 2 MB')
    setUploading(true)
    setError(null)
    try {
      const up = await uploadImage(picked.bytes, picked.name)
      setF((x) => ({ ...x, images: x.images.includes(up.url) ? x.images : [...x.images, up.url] }))
    } catch (e) {
      handleActionError(e, setError, () => void addImage())
    } finally {
      setUploading(false)
    }
  }

  const submit = async () => {
    if (busy) return
    if (!f.title.trim()) return setError('请填写商品名称')
    if (faceFen === null) return setError('价值:请填写金额(元),如 10 或 12.5')
    if (costFen === null) return setError('成本:请填写金额(元),可为 0')
    if (points === null || points < 1) return setError('积分价:请填写正整数')
    if (!reward && stock === null) return setError('库存:请填写整数')
    if (Number.isNaN(limit)) return setError('每人限兑:留空为不限,或填写正整数')
    if (f.fromDay && f.toDay && f.toDay < f.fromDay) return setError('结束日期不能早于开始日期')
    setBusy(true)
    setError(null)
    const fields = {
      title: f.title.trim(),
      description: f.description.trim(),
      category: f.category.trim(),
      images: f.images,
      faceValueFen: faceFen,
      costFen,
      pointsPrice: points,
      minTier: f.minTier || null,
      perMemberLimit: limit,
      activeFrom: f.fromDay ? `${f.fromDay}T00:00` : null,
      activeTo: f.toDay ? `${f.toDay}T23:59` : null,
      status: f.status,
      ...(f.priceReason.trim() ? { priceReason: f.priceReason.trim() } : {}),
    }
    try {
      if (reward) await updateReward(reward.id, fields)
      else await createReward({ ...fields, stock: stock! })
      toast(reward ? '已保存' : '商品已创建')
      onSaved()
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  // The live preview: the member's shelf card as it will look (eligibility shown as redeemable).
  const preview: RewardDto = {
    id: reward?.id ?? 0,
    title: f.title.trim() || '商品名称',
    description: f.description,
    category: f.category,
    imageUrl: f.images[0] ?? '',
    images: f.images,
    faceValueFen: faceFen ?? 0,
    pointsPrice: points ?? 0,
    stock: reward ? reward.stock : (stock ?? 0),
    minTier: f.minTier || null,
    perMemberLimit: limit === null || Number.isNaN(limit) ? null : limit,
    startsAt: null,
    endsAt: null,
    eligibility: { canRedeem: true, reason: 'OK', redeemedByMe: 0 },
  }
  const tierName = (code: string) => rules.tiers.find((t) => t.code === code)?.name ?? code
  const anchored = faceFen !== null ? anchorPoints(faceFen, rules) : null

  return (
    <View className='staff-columns reward-edit'>
      <View className='staff-col'>
        <View className='card'>
          <Text className='staff-card-title'>{reward ? `编辑商品 #${reward.id}` : '新建商品'}</Text>
          <View className='field'>
            <Text className='field-label'>商品名称</Text>
            <Input className='field-input jf-reward-title' value={f.title} maxlength={REWARD_TITLE_MAX} placeholder='例如 美式咖啡一杯' onInput={(e) => set('title', e.detail.value)} />
          </View>
          <View className='field'>
            <Text className='field-label'>图片(第一张显示在货架上;PNG / JPEG / WebP,不超过 2 MB)</Text>
            <View className='reward-images'>
              {f.images.map((url, i) => (
                <View key={url} className='reward-image-item jf-reward-image'>
                  <Image className='reward-image' src={assetUrl(url)} mode='aspectFill' />
                  <Text className='reward-image-remove jf-reward-image-remove' onClick={() => set('images', f.images.filter((u) => u !== url))}>
                    ×
                  </Text>
                  {i === 0 ? <Text className='reward-image-main'>主图</Text> : null}
                </View>
              ))}
              {f.images.length < REWARD_IMAGES_MAX ? (
                <View className={`reward-image-add jf-reward-image-add ${uploading ? 'is-busy' : ''}`} onClick={() => void addImage()}>
                  {uploading ? '上传中…' : '+ 上传图片'}
                </View>
              ) : null}
            </View>
          </View>
          <View className='two'>
            <View className='field grow'>
              <Text className='field-label'>价值(元)</Text>
              <Input className='field-input num jf-reward-face' type='digit' value={f.faceYuan} placeholder='10' onInput={(e) => set('faceYuan', e.detail.value)} />
              <Text className='field-hint'>会员看到的「价值 ¥X」</Text>
            </View>
            <View className='field grow'>
              <Text className='field-label'>成本(元)</Text>
              <Input className='field-input num jf-reward-cost' type='digit' value={f.costYuan} placeholder='6' onInput={(e) => set('costYuan', e.detail.value)} />
              <Text className='field-hint'>品牌的单件成本,会员看不到</Text>
            </View>
          </View>
          <View className='two'>
            <View className='field grow'>
              <Text className='field-label'>积分价</Text>
              <Input className='field-input num jf-reward-points' type='number' value={f.points} placeholder='1000' onInput={(e) => set('points', e.detail.value)} />
              {anchored !== null && anchored > 0 ? (
                <Text className={`field-hint jf-reward-anchor ${points === anchored ? '' : 'btn-text'}`} onClick={() => set('points', String(anchored))}>
                  {points === anchored ? '与价值锚定一致' : `按价值锚定为 ${formatPoints(anchored)} 分(点此填入)`}
                </Text>
              ) : null}
              {anchored !== null && points !== null && outsideAnchorBand(points, faceFen ?? 0, rules.anchor, rules.anchorBandPct) ? (
                <Input className='field-input jf-reward-price-reason' value={f.priceReason} maxlength={200} placeholder={`偏离锚定价超过 ±${rules.anchorBandPct}%,请填写定价理由`} onInput={(e) => set('priceReason', e.detail.value)} />
              ) : null}
            </View>
            <View className='field grow'>
              <Text className='field-label'>{reward ? '库存(在右侧调整)' : '初始库存'}</Text>
              <Input className={`field-input num jf-reward-stock ${reward ? 'is-readonly' : ''}`} type='number' value={reward ? String(reward.stock) : f.stock} disabled={!!reward} onInput={(e) => set('stock', e.detail.value)} />
            </View>
          </View>
          <View className='two'>
            <View className='field grow'>
              <Text className='field-label'>分类</Text>
              <Input className='field-input jf-reward-category' value={f.category} maxlength={REWARD_CATEGORY_MAX} placeholder='饮品、周边…' onInput={(e) => set('category', e.detail.value)} />
            </View>
            <View className='field grow'>
              <Text className='field-label'>每人限兑(留空不限)</Text>
              <Input className='field-input num jf-reward-limit' type='number' value={f.limit} onInput={(e) => set('limit', e.detail.value)} />
            </View>
          </View>
          <View className='field'>
            <Text className='field-label'>会员等级</Text>
            <Chips options={[{ value: '', label: '不限' }, ...rules.tiers.map((t) => ({ value: t.code, label: `${t.name}及以上` }))]} value={f.minTier} onChange={(v) => set('minTier', v)} cls='jf-reward-tier' />
          </View>
          <Text className='field-label'>兑换期(北京时间,留空不限)</Text>
          <View className='two'>
            <Picker mode='date' value={f.fromDay || '2026-01-01'} onChange={(e) => set('fromDay', String(e.detail.value))} className='grow'>
              <View className='field-input field-picker jf-reward-from'>
                <Text className='num'>{f.fromDay || '不限'}</Text>
                <Text className='muted'>开始</Text>
              </View>
            </Picker>
            <Picker mode='date' value={f.toDay || '2026-12-31'} onChange={(e) => set('toDay', String(e.detail.value))} className='grow'>
              <View className='field-input field-picker jf-reward-to'>
                <Text className='num'>{f.toDay || '不限'}</Text>
                <Text className='muted'>结束(含当天)</Text>
              </View>
            </Picker>
          </View>
          {f.fromDay || f.toDay ? (
            <Text className='field-hint btn-text jf-reward-clear-dates' onClick={() => setF((x) => ({ ...x, fromDay: '', toDay: '' }))}>
              清除兑换期
            </Text>
          ) : null}
          <View className='field field-top'>
            <Text className='field-label'>状态</Text>
            <Chips options={REWARD_STATUSES.map((s) => ({ value: s, label: REWARD_STATUS_NAMES[s] }))} value={f.status} onChange={(v) => set('status', v)} cls='jf-reward-status-chips' />
            <Text className='field-hint'>「在售」显示在会员货架上;已兑换过的商品不能删除,请改为「已下架」</Text>
          </View>
          <View className='field'>
            <Text className='field-label'>描述</Text>
            <Textarea className='bo-textarea reward-desc jf-reward-description' value={f.description} maxlength={REWARD_DESCRIPTION_MAX} placeholder='领取方式、有效期等' onInput={(e) => set('description', e.detail.value)} />
          </View>
        </View>
      </View>
      <View className='staff-col'>
        <View className='card'>
          <Text className='staff-card-title'>货架预览</Text>
          <View className='reward-preview jf-reward-preview'>
            <RewardCard reward={preview} tierName={tierName} />
          </View>
          {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
          <View className={`btn btn-primary btn-block jf-reward-save ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
            {busy ? '保存中…' : reward ? '保存修改' : '创建商品'}
          </View>
          <View className='btn btn-plain btn-block cancel-gap' onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/staff/rewards/index' }))}>
            返回列表
          </View>
        </View>
        {detail ? <StockPanel reward={detail.reward} movements={detail.stockMovements} onMoved={onSaved} /> : null}
        {detail ? <PriceHistory rows={detail.priceHistory} tz={rules.timezone} /> : null}
      </View>
    </View>
  )
}

export default function RewardEditPage() {
  const { params } = useRouter()
  const id = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null
  const r = useResource<Loaded>(async () => {
    const [rules, detail] = await Promise.all([getRules(), id !== null ? getRewardAdmin(id) : Promise.resolve(null)])
    return { rules, detail }
  })
  const saved = () => {
    if (id !== null) return void r.reload(true)
    void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/staff/rewards/index' }))
  }
  return (
    <StaffShell active='rewards'>
      {r.error && !r.data ? <ErrorState error={r.error} onRetry={() => void r.reload()} /> : !r.data ? <LoadingState /> : <Editor key={r.data.detail?.reward.updatedAt ?? 'new'} data={r.data} onSaved={saved} />}
    </StaffShell>
  )
}
