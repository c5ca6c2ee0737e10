import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { getDashboard, type DashboardCardDto } from '../../services/audit'
import { getRules } from '../../services/rules'
import { staffProfile } from '../../services/session'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { ErrorState, LoadingState } from '../../components/state-view'
import { formatPoints, localTime } from '../../utils/format'
import { StaffShell, canOpen, pageUrl } from '../components/staff-shell'
import { PageHead } from '../components/admin-ui'
import './index.css'

async function load() {
  const [dash, rules] = await Promise.all([getDashboard(), getRules()])
  return { ...dash, timezone: rules.timezone }
}

type Link = DashboardCardDto['link']

// A card links to a page by its navigation key; a key this build does not know (or this role cannot open) is not a link.
function urlOf(link: Link): string | null {
  const me = staffProfile()
  return link && me && canOpen(me.role, link.page) ? pageUrl(link.page, link.query) : null
}

/** The things a card counts, each opening its own page (a reward's form, say). */
function Items({ items }: { items: NonNullable<DashboardCardDto['items']> }) {
  return (
    <View className='dash-items jf-dash-items'>
      {items.map((it, i) => {
        const url = urlOf(it.link)
        return (
          <View
            key={i}
            className={`dash-item jf-dash-item ${url ? 'is-link' : ''}`}
            onClick={(e) => {
              e.stopPropagation()
              if (url) void Taro.navigateTo({ url })
            }}
          >
            <Text className='dash-item-text'>{it.text}</Text>
            {it.note ? <Text className='dash-item-note'>{it.note}</Text> : null}
            {url ? <Text className='dash-item-go'>›</Text> : null}
          </View>
        )
      })}
    </View>
  )
}

function Card({ c }: { c: DashboardCardDto }) {
  const url = urlOf(c.link)
  return (
    <View className={`card dash-card jf-dash-card jf-dash-${c.key} is-${c.tone} ${url ? 'is-link' : ''}`} onClick={() => url && void Taro.navigateTo({ url })}>
      <Text className='dash-title'>{c.title}</Text>
      <View className='dash-value-line'>
        <Text className='dash-value num jf-dash-value'>{c.value === null ? '—' : formatPoints(c.value)}</Text>
        {c.unit && c.value !== null ? <Text className='dash-unit'>{c.unit}</Text> : null}
      </View>
      {c.hint ? <Text className='dash-hint'>{c.hint}</Text> : null}
      {c.items && c.items.length > 0 ? <Items items={c.items} /> : null}
      {url ? <Text className='dash-go'>查看 ›</Text> : null}
    </View>
  )
}

/**
 * 概览: the admin's and marketing's landing page. Cards come from GET /admin/dashboard (each role its own), each
 * computed on its own by the server; a new card needs no change here.
 */
function DashboardPageBody() {
  const r = useResource(load)
  useShowRefresh(() => r.reload(true))
  const d = r.data
  return (
    <>
      <PageHead
        title='概览'
        sub={d ? `数据更新于 ${localTime(d.at, d.timezone, 'HH:mm')}(北京时间),「今日」从 0 点算起` : undefined}
        action={
          <View className='btn btn-plain btn-small jf-dash-refresh' onClick={() => void r.reload(true)}>
            刷新
          </View>
        }
      />
      {r.error && !d ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !d ? (
        <LoadingState />
      ) : (
        <View className='dash-grid jf-dash-grid'>
          {d.cards.map((c) => (
            <Card key={c.key} c={c} />
          ))}
        </View>
      )}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function DashboardPage() {
  return (
    <StaffShell active='dashboard'>
      <DashboardPageBody />
    </StaffShell>
  )
}
