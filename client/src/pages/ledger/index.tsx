import Taro, { useReachBottom } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useCallback, useRef, useState } from 'react'
import { LEDGER_KINDS, LEDGER_KIND_LABEL, localMonth, type BreakdownLineDto, type LedgerCode, type LedgerEntryDto, type LedgerKind } from '@jifen/shared'
import { getLedger } from '../../services/me'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { errorMessage } from '../../utils/feedback'
import { formatDelta, formatPoints, localTime, monthLabel } from '../../utils/format'
import './index.css'

/**
 * The ledger, newest first, grouped by local month and loaded a page at a time when the page is scrolled to the
 * bottom (Taro's useReachBottom; @tarojs/components-advanced's VirtualList is not installed, and pages of 20
 * rows keep the DOM small enough). A 加载更多 button covers short screens where no scroll happens. Tabs filter by
 * kind on the server (全部 / 获得 / 使用 / 过期, GET /me/ledger?kind=), so a page of one kind is a full page.
 */

const CODE_LABEL: Record<LedgerCode, { text: string; cls: string }> = {
  EARN_PURCHASE: { text: '消费', cls: 'c-earn' },
  EARN_CHECKIN: { text: '签到', cls: 'c-earn' },
  EARN_TASK: { text: '任务', cls: 'c-earn' },
  EARN_CAMPAIGN_BONUS: { text: '活动', cls: 'c-earn' },
  REDEEM: { text: '兑换', cls: 'c-spend' },
  REFUND_REVERSAL: { text: '退款', cls: 'c-reverse' },
  REDEEM_CANCEL: { text: '退回', cls: 'c-earn' },
  EXPIRE: { text: '过期', cls: 'c-expire' },
  ADJUST: { text: '调整', cls: 'c-adjust' },
  COMPENSATION: { text: '补偿', cls: 'c-earn' },
  DONATE: { text: '公益捐赠', cls: 'c-spend' },
}

interface LedgerState {
  kind: LedgerKind
  entries: LedgerEntryDto[]
  nextCursor: number | null
  tz: string
}

async function firstPage(kind: LedgerKind): Promise<LedgerState> {
  const [page, rules] = await Promise.all([getLedger(null, kind), getRules()])
  return { kind, entries: page.entries, nextCursor: page.nextCursor, tz: rules.timezone }
}

/**
 * Entries grouped by the local month of their own time, one header per month (newest month first, as the
 * entries come). Entries arrive newest first, so a month seen again joins its group rather than repeating it.
 */
function byMonth(entries: LedgerEntryDto[], tz: string): { month: string; entries: LedgerEntryDto[] }[] {
  const groups = new Map<string, LedgerEntryDto[]>()
  for (const e of entries) {
    const month = localMonth(new Date(e.createdAt), tz)
    const list = groups.get(month)
    if (list) list.push(e)
    else groups.set(month, [e])
  }
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([month, list]) => ({ month, entries: list }))
}

function KindTabs({ kind, onPick }: { kind: LedgerKind; onPick: (k: LedgerKind) => void }) {
  return (
    <View className='ledger-kinds jf-ledger-kinds'>
      {LEDGER_KINDS.map((k) => (
        <View key={k} className={`ledger-kind jf-ledger-kind-${k} ${k === kind ? 'is-on' : ''}`} onClick={() => k !== kind && onPick(k)}>
          {LEDGER_KIND_LABEL[k]}
        </View>
      ))}
    </View>
  )
}

/**
 * The lines behind an earning. A campaign's bonus is credited as its own ledger entry (EARN_CAMPAIGN_BONUS, same
 * ref), so on the purchase / check-in entry its line is shown but marked 另计入账 and left out of the total: the
 * total is this entry's own delta (the sum of the other lines), the same figure as the row above it.
 */
function Breakdown({ e, lines }: { e: LedgerEntryDto; lines: BreakdownLineDto[] }) {
  // Only when this entry's delta is the other lines' sum was the campaign's part booked apart. (Entries written
  // before issue 13.2 could list a campaign line the per-order cap had taken back: that line then belongs to
  // this entry's own total, and no separate 「活动」 entry exists to point at.)
  const othersSum = lines.reduce((s, l) => s + (l.kind === 'CAMPAIGN' ? 0 : l.points), 0)
  const booksApart = e.code !== 'EARN_CAMPAIGN_BONUS' && othersSum === e.delta
  const separate = (l: BreakdownLineDto) => booksApart && l.kind === 'CAMPAIGN' && l.points > 0
  const hasSeparate = lines.some(separate)
  return (
    <View className='breakdown jf-breakdown'>
      {lines.map((l, i) =>
        separate(l) ? (
          <View key={i} className='breakdown-line is-separate jf-breakdown-separate'>
            <Text className='breakdown-label'>
              {l.label}
              <Text className='breakdown-note'>另计入账</Text>
            </Text>
            <Text className='num'>{formatDelta(l.points)}</Text>
          </View>
        ) : (
          <View key={i} className='breakdown-line'>
            <Text className='breakdown-label'>{l.label}</Text>
            <Text className='num'>{formatDelta(l.points)}</Text>
          </View>
        ),
      )}
      <View className='breakdown-line breakdown-total jf-breakdown-total'>
        <Text>{hasSeparate ? '本笔合计' : '合计'}</Text>
        <Text className='num'>{formatDelta(e.delta)}</Text>
      </View>
      {hasSeparate ? <Text className='breakdown-hint'>活动加赠已作为单独一笔「活动」明细入账</Text> : null}
    </View>
  )
}

/** Under an opened entry: review the order it came from (the 任务中心's review form), or question the entry. */
function EntryActions({ e }: { e: LedgerEntryDto }) {
  const order = e.code === 'EARN_PURCHASE' && e.refType === 'purchase' && e.refId ? /^(\d+):(.+)$/.exec(e.refId) : null
  return (
    <View className='entry-actions' onClick={(ev) => ev.stopPropagation()}>
      {order ? (
        <View className='btn btn-small btn-ghost jf-entry-review' onClick={() => void Taro.navigateTo({ url: `/pages/tasks/index?review=${encodeURIComponent(`${order[1]}:${order[2]}`)}` })}>
          评价此单得积分
        </View>
      ) : null}
      <Text className='link jf-entry-dispute' onClick={() => void Taro.navigateTo({ url: `/pages/disputes/index?entryId=${e.id}` })}>
        对这笔有疑问?申诉
      </Text>
    </View>
  )
}

function Entry({ e, tz, open, onToggle }: { e: LedgerEntryDto; tz: string; open: boolean; onToggle: () => void }) {
  const label = CODE_LABEL[e.code]
  // A purchase always opens its breakdown; other entries only when there is more than one line to show.
  const hasLines = (e.breakdown?.length ?? 0) > (e.code === 'EARN_PURCHASE' ? 0 : 1)
  // Every entry opens: the breakdown when there is one, and the actions (review the order, question the entry).
  const expandable = true
  return (
    <View className={`entry jf-ledger-entry jf-code-${e.code} ${expandable ? 'is-expandable' : ''}`} onClick={() => expandable && onToggle()}>
      <View className='entry-main'>
        <View className={`entry-icon ${label.cls}`}>{label.text}</View>
        <View className='grow'>
          <Text className='entry-reason jf-entry-reason'>{e.reason}</Text>
          <Text className='entry-time'>
            {localTime(e.createdAt, tz, 'M月D日 HH:mm')}
            {hasLines ? (open ? ' · 收起明细' : ' · 查看明细') : open ? ' · 收起' : ''}
          </Text>
        </View>
        <View className='entry-right'>
          <Text className={`entry-delta num jf-entry-delta ${e.delta > 0 ? 'plus' : 'minus'}`}>{formatDelta(e.delta)}</Text>
          <Text className='entry-after num'>余额 {formatPoints(e.balanceAfter)}</Text>
        </View>
      </View>
      {open && hasLines && e.breakdown ? <Breakdown e={e} lines={e.breakdown} /> : null}
      {open ? <EntryActions e={e} /> : null}
    </View>
  )
}

export default function LedgerPage() {
  const [kind, setKind] = useState<LedgerKind>('all')
  const r = useResource(() => firstPage(kind), [kind])
  const [open, setOpen] = useState<number | null>(null)
  const [more, setMore] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null })
  const loadingMore = useRef(false)
  useShowRefresh(() => r.reload(true))

  const loadMore = useCallback(async () => {
    const cur = r.data
    if (!cur || cur.nextCursor === null || loadingMore.current) return
    loadingMore.current = true
    setMore({ loading: true, error: null })
    try {
      const page = await getLedger(cur.nextCursor, cur.kind)
      const seen = new Set(cur.entries.map((e) => e.id))
      r.setData({ ...cur, entries: [...cur.entries, ...page.entries.filter((e) => !seen.has(e.id))], nextCursor: page.nextCursor })
      setMore({ loading: false, error: null })
    } catch (e) {
      setMore({ loading: false, error: errorMessage(e) })
    } finally {
      loadingMore.current = false
    }
  }, [r])

  useReachBottom(() => {
    void loadMore()
  })

  const tabs = <KindTabs kind={kind} onPick={setKind} />
  if (r.error && !r.data) return <View className='page'>{tabs}<ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  // While another tab loads, the old list stays out of sight (it is not that kind).
  if (!r.data || r.data.kind !== kind) return <View className='page'>{tabs}<LoadingState /></View>
  const { entries, nextCursor, tz } = r.data
  if (entries.length === 0) {
    return (
      <View className='page'>
        {tabs}
        {kind === 'all' ? (
          <EmptyState title='还没有积分记录' hint='消费、签到都能获得积分' icon='分' />
        ) : (
          <EmptyState title={`没有${LEDGER_KIND_LABEL[kind]}记录`} hint='换个分类看看' icon='分' />
        )}
      </View>
    )
  }

  const groups = byMonth(entries, tz)

  return (
    <View className='page ledger'>
      {tabs}
      {groups.map((g) => (
        <View key={g.month} className='month jf-ledger-month'>
          <Text className='month-title'>{monthLabel(g.month)}</Text>
          <View className='month-list'>
            {g.entries.map((e) => (
              <Entry key={e.id} e={e} tz={tz} open={open === e.id} onToggle={() => setOpen(open === e.id ? null : e.id)} />
            ))}
          </View>
        </View>
      ))}
      <View className='ledger-foot'>
        {nextCursor === null ? (
          <Text className='muted jf-ledger-end'>— 没有更多了 —</Text>
        ) : more.loading ? (
          <Text className='muted'>加载中…</Text>
        ) : more.error ? (
          <View className='ledger-more-error'>
            <Text className='muted'>{more.error}</Text>
            <View className='btn btn-ghost btn-small jf-ledger-more' onClick={() => void loadMore()}>
              重试
            </View>
          </View>
        ) : (
          <View className='btn btn-plain btn-small jf-ledger-more' onClick={() => void loadMore()}>
            加载更多
          </View>
        )}
      </View>
    </View>
  )
}
