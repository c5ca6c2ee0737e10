import { useRouter } from '@tarojs/taro'
import { View, Text, Input, Picker } from '@tarojs/components'
import { useState } from 'react'
import { AUDIT_ACTIONS, ERRORS, ROLE_NAMES, formatLocal, isErrorCode, isStaffRole } from '@jifen/shared'
import { listAudit, type AuditEntryDto, type AuditFilter } from '../../services/audit'
import { listStaff, listStoresAdmin } from '../../services/staff-admin'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError } from '../../utils/feedback'
import { localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { Chips, PageHead } from '../components/admin-ui'
import './index.css'

type Preset = 'today' | '7d' | '30d' | 'all' | 'custom'
type TargetType = 'all' | 'staff' | 'store'
const DAY_MS = 86_400_000
const ACTION_KEYS = Object.keys(AUDIT_ACTIONS) as (keyof typeof AUDIT_ACTIONS)[]
const ACTION_LABELS = ['全部操作', ...ACTION_KEYS.map((k) => AUDIT_ACTIONS[k])]
const TARGET_NAMES: Record<string, string> = { staff: '员工', store: '门店' }

interface Names {
  staff: Map<string, string>
  stores: Map<number, string>
  timezone: string
}

async function loadNames(): Promise<Names> {
  const [staff, stores, rules] = await Promise.all([listStaff(), listStoresAdmin(), getRules()])
  return {
    staff: new Map(staff.staff.map((s) => [String(s.id), s.username])),
    stores: new Map(stores.map((s) => [s.id, `${s.name}(${s.code})`])),
    timezone: rules.timezone,
  }
}

const FIELD_NAMES: Record<string, string> = {
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  storeId: '门店',
  disabled: '状态',
  sessionVersion: '登录版本',
  passwordReset: '密码',
  code: '编码',
  name: '名称',
  closedAt: '营业',
  result: '结果',
  accountDisabled: '账号已停用',
}

/** A before/after value in words: roles, stores, statuses and times as people read them. */
function show(key: string, v: unknown, names: Names): string {
  if (v === undefined) return ''
  if (v === null) return key === 'closedAt' ? '营业中' : '—'
  if (key === 'role' && isStaffRole(v)) return ROLE_NAMES[v]
  if (key === 'storeId' && typeof v === 'number') return names.stores.get(v) ?? `#${v}`
  if (key === 'disabled') return v ? '停用' : '在岗'
  if (key === 'accountDisabled') return v ? '是' : '否'
  if (key === 'passwordReset') return v ? '已重置' : ''
  if (key === 'closedAt' && typeof v === 'string') return `${localTime(v, names.timezone, 'YYYY-MM-DD HH:mm')} 关闭`
  if (key === 'result' && isErrorCode(v)) return ERRORS[v].zh
  if (typeof v === 'string') return v === '' ? '(空)' : v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

function Diff({ e, names }: { e: AuditEntryDto; names: Names }) {
  const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null)
  const before = obj(e.before)
  const after = obj(e.after)
  if (!before && !after) {
    if (e.before === null && e.after === null) return null
    return <Text className='audit-raw'>{JSON.stringify({ before: e.before, after: e.after })}</Text>
  }
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]
  const changedFirst = keys.sort((a, b) => Number(changed(b)) - Number(changed(a)))
  function changed(k: string) {
    return before !== null && after !== null && JSON.stringify(before[k]) !== JSON.stringify(after[k])
  }
  return (
    <View className='diff jf-audit-diff'>
      <View className='diff-row diff-head'>
        <Text className='diff-key'>项目</Text>
        {before ? <Text className='diff-val'>之前</Text> : null}
        <Text className='diff-val'>{before ? '之后' : after ? '内容' : ''}</Text>
      </View>
      {changedFirst.map((k) => (
        <View key={k} className={`diff-row ${changed(k) ? 'is-changed jf-diff-changed' : ''}`}>
          <Text className='diff-key'>{FIELD_NAMES[k] ?? k}</Text>
          {before ? <Text className='diff-val diff-before'>{show(k, before[k], names)}</Text> : null}
          <Text className='diff-val diff-after'>{after ? show(k, after[k], names) : ''}</Text>
        </View>
      ))}
    </View>
  )
}

function Entry({ e, names }: { e: AuditEntryDto; names: Names }) {
  const failed = e.action === 'staff.login_failed'
  const targetName = e.target
    ? e.target.type === 'staff' && e.target.id
      ? `员工 ${names.staff.get(e.target.id) ?? `#${e.target.id}`}`
      : e.target.type === 'store' && e.target.id
        ? `门店 ${names.stores.get(Number(e.target.id)) ?? `#${e.target.id}`}`
        : `${TARGET_NAMES[e.target.type] ?? e.target.type} ${e.target.id ?? ''}`
    : ''
  return (
    <View className={`card audit-entry jf-audit-entry jf-audit-${e.action.replace('.', '-')} ${failed ? 'is-failed' : ''}`}>
      <View className='audit-line'>
        <Text className='audit-time num'>{localTime(e.at, names.timezone, 'YYYY-MM-DD HH:mm:ss')}</Text>
        <Text className={`tag ${failed ? 'tag-danger' : 'tag-info'} jf-audit-action`}>{AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action}</Text>
        {targetName ? <Text className='audit-target jf-audit-target'>{targetName}</Text> : null}
      </View>
      <View className='audit-line audit-who'>
        <Text className='jf-audit-actor'>
          {failed ? '尝试登录:' : '操作人:'}
          <Text className='audit-actor'>{e.actor.username}</Text>
          {e.actor.role && isStaffRole(e.actor.role) ? `(${ROLE_NAMES[e.actor.role]})` : ''}
        </Text>
        <Text className='muted'>地址 {e.ip}</Text>
        <Text className='muted audit-req'>请求 {e.requestId}</Text>
      </View>
      <Diff e={e} names={names} />
    </View>
  )
}

function presetRange(p: Preset, tz: string, custom: { from: string; to: string }): { from?: string; to?: string } {
  const now = Date.now()
  const day = (ms: number) => formatLocal(new Date(ms), tz, 'YYYY-MM-DD')
  if (p === 'today') return { from: day(now) }
  if (p === '7d') return { from: day(now - 6 * DAY_MS) }
  if (p === '30d') return { from: day(now - 29 * DAY_MS) }
  if (p === 'custom') return { from: custom.from, to: custom.to }
  return {}
}

/** 操作日志: every staff write and failed login, newest first, filtered by who, what, which target and when. */
function AuditPageBody() {
  const { params } = useRouter()
  const names = useResource(loadNames)
  const tz = names.data?.timezone ?? 'Asia/Shanghai'
  const [actor, setActor] = useState(params.actor ?? '')
  const [action, setAction] = useState(params.action && params.action in AUDIT_ACTIONS ? params.action : '')
  const initialTarget = (params.target ?? '').split(':')
  const [targetType, setTargetType] = useState<TargetType>(initialTarget[0] === 'staff' || initialTarget[0] === 'store' ? initialTarget[0] : 'all')
  const [targetId, setTargetId] = useState(initialTarget[1] ?? '')
  const today = formatLocal(new Date(), tz, 'YYYY-MM-DD')
  const [preset, setPreset] = useState<Preset>(params.from ? 'custom' : 'all')
  const [custom, setCustom] = useState({ from: params.from ?? today, to: params.to ?? today })
  const filterNow = (): AuditFilter => ({
    ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(action ? { action } : {}),
    ...(targetType !== 'all' ? { target: targetId.trim() ? `${targetType}:${targetId.trim()}` : targetType } : {}),
    ...presetRange(preset, tz, custom),
  })
  const [applied, setApplied] = useState<AuditFilter>(() => filterNow())
  const page = useResource(() => listAudit(applied), [applied])
  const [more, setMore] = useState<{ entries: AuditEntryDto[]; cursor: string | null } | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)

  const search = () => {
    setMore(null)
    setApplied(filterNow())
  }
  const reset = () => {
    setActor('')
    setAction('')
    setTargetType('all')
    setTargetId('')
    setPreset('all')
    setMore(null)
    setApplied({})
  }
  const entries = [...(page.data?.entries ?? []), ...(more?.entries ?? [])]
  const cursor = more ? more.cursor : (page.data?.nextCursor ?? null)
  const loadMore = async () => {
    if (!cursor || loadingMore) return
    setLoadingMore(true)
    try {
      const next = await listAudit(applied, cursor)
      setMore({ entries: [...(more?.entries ?? []), ...next.entries], cursor: next.nextCursor })
    } catch (e) {
      void reportError(e, () => void loadMore())
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <>
      <PageHead title='操作日志' sub='员工在后台的每一次写操作和每一次失败的登录;记录只能查看,不能修改或删除' />
      <View className='card filters audit-filters'>
        <View className='field'>
          <Text className='field-label'>操作人(用户名)</Text>
          <Input className='field-input jf-audit-actor-input' value={actor} placeholder='例如 admin' maxlength={-1} onInput={(e) => setActor(e.detail.value)} onConfirm={search} />
        </View>
        <View className='field'>
          <Text className='field-label'>操作</Text>
          <Picker mode='selector' range={ACTION_LABELS} value={action ? ACTION_KEYS.indexOf(action as keyof typeof AUDIT_ACTIONS) + 1 : 0} onChange={(e) => setAction(Number(e.detail.value) === 0 ? '' : ACTION_KEYS[Number(e.detail.value) - 1]!)}>
            <View className='field-input field-picker jf-audit-action-picker'>
              <Text>{action ? AUDIT_ACTIONS[action as keyof typeof AUDIT_ACTIONS] : '全部操作'}</Text>
              <Text className='muted'>▾</Text>
            </View>
          </Picker>
        </View>
        <View className='field'>
          <Text className='field-label'>对象</Text>
          <View className='row target-row'>
            <Chips
              options={[
                { value: 'all' as TargetType, label: '全部' },
                { value: 'staff' as TargetType, label: '员工' },
                { value: 'store' as TargetType, label: '门店' },
              ]}
              value={targetType}
              onChange={setTargetType}
              cls='jf-audit-target-type'
            />
            {targetType !== 'all' ? (
              <Input className='field-input target-id jf-audit-target-id' value={targetId} placeholder='编号(选填)' maxlength={-1} type='number' onInput={(e) => setTargetId(e.detail.value)} />
            ) : null}
          </View>
        </View>
        <View className='field'>
          <Text className='field-label'>时间(北京时间)</Text>
          <Chips
            options={[
              { value: 'all' as Preset, label: '全部' },
              { value: 'today' as Preset, label: '今天' },
              { value: '7d' as Preset, label: '近 7 天' },
              { value: '30d' as Preset, label: '近 30 天' },
              { value: 'custom' as Preset, label: '自选' },
            ]}
            value={preset}
            onChange={setPreset}
            cls='jf-audit-preset'
          />
          {preset === 'custom' ? (
            <View className='two date-range'>
              <Picker mode='date' value={custom.from} end={custom.to} onChange={(e) => setCustom((c) => ({ ...c, from: String(e.detail.value) }))} className='grow'>
                <View className='field-input field-picker jf-audit-from'>
                  <Text className='num'>{custom.from}</Text>
                  <Text className='muted'>起</Text>
                </View>
              </Picker>
              <Picker mode='date' value={custom.to} start={custom.from} onChange={(e) => setCustom((c) => ({ ...c, to: String(e.detail.value) }))} className='grow'>
                <View className='field-input field-picker jf-audit-to'>
                  <Text className='num'>{custom.to}</Text>
                  <Text className='muted'>止</Text>
                </View>
              </Picker>
            </View>
          ) : null}
        </View>
        <View className='row filter-buttons'>
          <View className='btn btn-plain btn-small jf-audit-reset' onClick={reset}>
            重置
          </View>
          <View className='btn btn-primary btn-small jf-audit-search' onClick={search}>
            查询
          </View>
        </View>
      </View>

      {(page.error && !page.data) || (names.error && !names.data) ? (
        <ErrorState error={page.error ?? names.error} onRetry={() => void Promise.all([page.reload(), names.reload()])} />
      ) : !page.data || !names.data ? (
        <LoadingState />
      ) : entries.length === 0 ? (
        <EmptyState title='没有符合条件的记录' hint='换个条件或时间范围试试' icon='记' />
      ) : (
        <View className='jf-audit-list'>
          {entries.map((e) => (
            <Entry key={e.id} e={e} names={names.data!} />
          ))}
          <View className='list-foot'>
            {cursor ? (
              <View className={`btn btn-plain btn-small jf-audit-more ${loadingMore ? 'is-busy' : ''}`} onClick={() => void loadMore()}>
                {loadingMore ? '加载中…' : '加载更多'}
              </View>
            ) : (
              <Text className='muted'>共 {entries.length} 条,已全部显示</Text>
            )}
          </View>
        </View>
      )}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function AuditPage() {
  return (
    <StaffShell active='audit'>
      <AuditPageBody />
    </StaffShell>
  )
}
