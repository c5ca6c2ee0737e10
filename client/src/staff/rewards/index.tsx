import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Image } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { REWARD_LOW_STOCK_AT, REWARD_STATUSES, REWARD_STATUS_NAMES, type RewardStatus } from '@jifen/shared'
import { listRewardsAdmin, updateReward, type RewardAdminDto } from '../../services/rewards-admin'
import { assetUrl } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError, toast } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { yuanShort } from '../../utils/money'
import { StaffShell } from '../components/staff-shell'
import { Chips, PageHead, confirmAction } from '../components/admin-ui'
import './index.css'

export const STATUS_TAG: Record<RewardStatus, string> = { draft: 'tag-info', on_sale: 'tag-success', paused: 'tag-warning', retired: 'tag-danger' }

interface Filter {
  status: RewardStatus | 'all'
  category: string
  q: string
  lowStock: boolean
  ending: boolean
}

function load(f: Filter) {
  return listRewardsAdmin({
    ...(f.status !== 'all' ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.lowStock ? { lowStock: '1' as const } : {}),
    ...(f.ending ? { ending: '1' as const } : {}),
  })
}

const editUrl = (id?: number) => `/staff/reward-edit/index${id ? `?id=${id}` : ''}`

function Row({ r, onChanged }: { r: RewardAdminDto; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  const low = r.stock <= REWARD_LOW_STOCK_AT
  // One tap between on sale and paused; drafts go on sale; retired ones are edited in the form.
  const next: RewardStatus | null = r.status === 'on_sale' ? 'paused' : r.status === 'paused' || r.status === 'draft' ? 'on_sale' : null
  const toggle = async () => {
    if (busy || !next) return
    if (next === 'paused' && !(await confirmAction('暂停兑换', `暂停「${r.title}」?会员货架上将不再显示,已兑换的订单不受影响。`, '暂停', true))) return
    setBusy(true)
    try {
      await updateReward(r.id, { status: next })
      toast(next === 'on_sale' ? '已上架' : '已暂停')
      onChanged()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`table-row reward-row jf-reward-row jf-reward-row-${r.id} ${r.status === 'retired' ? 'is-muted' : ''}`}>
      <View className='cell cell-main col-title'>
        <View className='reward-thumb-wrap'>
          {r.imageUrl ? <Image className='reward-thumb' src={assetUrl(r.imageUrl)} mode='aspectFill' /> : <View className='reward-thumb is-empty'>无图</View>}
        </View>
        <View className='reward-row-text'>
          <Text className='jf-reward-row-title'>{r.title}</Text>
          <Text className='cell-sub'>{[r.category, r.activeTo ? `至 ${r.activeTo.replace('T', ' ')}` : ''].filter(Boolean).join(' · ') || '—'}</Text>
        </View>
      </View>
      <View className='cell col-status'>
        <Text className={`tag ${STATUS_TAG[r.status]} jf-reward-status`}>{REWARD_STATUS_NAMES[r.status]}</Text>
      </View>
      <View className='cell col-price'>
        <Text className='cell-label'>价格</Text>
        <Text className='num jf-reward-row-price'>{formatPoints(r.pointsPriceInForce)} 分</Text>
        <Text className='cell-sub'>
          {r.pointsPriceInForce !== r.pointsPrice ? `原价 ${formatPoints(r.pointsPrice)} 分 · ` : ''}
          {r.priceSchedule.length > 0 ? `调价 ${r.priceSchedule.length} 步 · ` : ''}价值 ¥{yuanShort(r.faceValueFen)} · 成本 ¥{yuanShort(r.costFen)}
        </Text>
      </View>
      <View className='cell col-stock'>
        <Text className='cell-label'>库存</Text>
        <Text className={`num jf-reward-row-stock ${low ? 'is-low' : ''}`}>{formatPoints(r.stock)}</Text>
        <Text className='cell-sub'>已兑 {formatPoints(r.redeemedCount)}</Text>
      </View>
      <View className='cell cell-actions col-actions'>
        <Text className='btn-link jf-reward-edit' onClick={() => void Taro.navigateTo({ url: editUrl(r.id) })}>
          编辑
        </Text>
        {next ? (
          <Text className={`btn-link ${next === 'paused' ? 'is-danger' : ''} jf-reward-toggle ${busy ? 'is-busy' : ''}`} onClick={() => void toggle()}>
            {next === 'on_sale' ? '上架' : '暂停'}
          </Text>
        ) : null}
      </View>
    </View>
  )
}

/** 商品: the rewards catalogue with filters (status, category, text, low stock, ending soon); create and edit in the form. */
export default function RewardsPage() {
  const { params } = useRouter()
  const initialStatus = params.status && (REWARD_STATUSES as readonly string[]).includes(params.status) ? (params.status as RewardStatus) : 'all'
  const [filter, setFilter] = useState<Filter>({ status: initialStatus, category: '', q: '', lowStock: params.lowStock === '1', ending: params.ending === '1' })
  const [applied, setApplied] = useState(filter)
  useEffect(() => {
    const h = setTimeout(() => setApplied(filter), filter.q === applied.q ? 0 : 300)
    return () => clearTimeout(h)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter])
  const r = useResource(() => load(applied), [applied])
  useShowRefresh(() => r.reload(true))
  const set = <K extends keyof Filter>(k: K, v: Filter[K]) => setFilter((f) => ({ ...f, [k]: v }))

  const body = () => {
    if (r.error && !r.data) return <ErrorState error={r.error} onRetry={() => void r.reload()} />
    if (!r.data) return <LoadingState />
    const rows = r.data.rewards
    const filtered = applied.status !== 'all' || applied.category !== '' || applied.q.trim() !== '' || applied.lowStock || applied.ending
    return (
      <View>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? '没有符合条件的商品' : '还没有商品'} hint={filtered ? '换个条件试试' : '点右上角「新建商品」上架第一件礼品'} icon='礼' />
        ) : (
          <View className='table jf-rewards-table'>
            <View className='table-head'>
              <Text className='col-title'>商品</Text>
              <Text className='col-status'>状态</Text>
              <Text className='col-price'>积分价 / 价值 / 成本</Text>
              <Text className='col-stock'>库存</Text>
              <Text className='col-actions'>操作</Text>
            </View>
            {rows.map((x) => (
              <Row key={x.id} r={x} onChanged={() => void r.reload(true)} />
            ))}
          </View>
        )}
        <Text className='muted block list-foot'>{r.data.truncated ? `只显示前 ${rows.length} 件,请用上面的条件缩小范围` : `共 ${rows.length} 件商品`}</Text>
      </View>
    )
  }

  const categories = r.data?.categories ?? []
  return (
    <StaffShell active='rewards'>
      <PageHead
        title='商品管理'
        sub='会员货架上的礼品:积分价按价值锚定(100 积分 = 1 元),修改价格会保留历史'
        action={
          <View className='btn btn-primary btn-small jf-reward-new' onClick={() => void Taro.navigateTo({ url: editUrl() })}>
            + 新建商品
          </View>
        }
      />
      <View className='filters card'>
        <View className='field'>
          <Text className='field-label'>状态</Text>
          <Chips
            options={[{ value: 'all' as const, label: '全部' }, ...REWARD_STATUSES.map((s) => ({ value: s, label: REWARD_STATUS_NAMES[s] }))]}
            value={filter.status}
            onChange={(v) => set('status', v)}
            cls='jf-filter-status'
          />
        </View>
        {categories.length ? (
          <View className='field'>
            <Text className='field-label'>分类</Text>
            <Chips options={[{ value: '', label: '全部' }, ...categories.map((c) => ({ value: c, label: c }))]} value={filter.category} onChange={(v) => set('category', v)} cls='jf-filter-category' />
          </View>
        ) : null}
        <View className='field'>
          <Text className='field-label'>关注</Text>
          <View className='chips'>
            <View className={`chip jf-filter-low ${filter.lowStock ? 'is-on' : ''}`} onClick={() => set('lowStock', !filter.lowStock)}>
              库存 ≤ {REWARD_LOW_STOCK_AT}
            </View>
            <View className={`chip jf-filter-ending ${filter.ending ? 'is-on' : ''}`} onClick={() => set('ending', !filter.ending)}>
              7 天内结束
            </View>
          </View>
        </View>
        <View className='field search-field'>
          <Text className='field-label'>搜索</Text>
          <Input className='field-input jf-filter-q' value={filter.q} placeholder='商品名称' maxlength={-1} onInput={(e) => set('q', e.detail.value)} />
        </View>
      </View>
      {body()}
    </StaffShell>
  )
}
