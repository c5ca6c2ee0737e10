import { useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { ROLE_NAMES, STAFF_DISPLAY_NAME_MAX, STAFF_ROLES, STAFF_USERNAME_RE, type StaffRole } from '@jifen/shared'
import {
  createStaff,
  listStaff,
  listStoresAdmin,
  resetStaffPassword,
  updateStaff,
  type StaffAdminDto,
  type StoreDto,
} from '../../services/staff-admin'
import { staffProfile } from '../../services/session'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError, reportError, toast } from '../../utils/feedback'
import { StaffShell } from '../components/staff-shell'
import { Chips, Dialog, PageHead, PasswordOnce, confirmAction } from '../components/admin-ui'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

type Status = 'all' | 'active' | 'disabled'
const ROLE_OPTIONS = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))
const ROLE_TAG: Record<StaffRole, string> = { clerk: 'tag-info', marketing: 'tag-brand', service: 'tag-warning', admin: 'tag-danger' }

interface Filter {
  status: Status
  role: StaffRole | 'all'
  q: string
}

/** The filters run on the server (the list is capped at a page); the text is sent a moment after typing stops. */
function load(f: Filter) {
  return listStaff({ ...(f.status !== 'all' ? { status: f.status } : {}), ...(f.role !== 'all' ? { role: f.role } : {}), ...(f.q.trim() ? { q: f.q.trim() } : {}) })
}

/** The account form: create (username, name, role, store) or edit (role, store, name). */
function AccountForm({ stores, editing, onSaved, onClose }: { stores: StoreDto[]; editing: StaffAdminDto | null; onSaved: (out: { staff: StaffAdminDto; password?: string }) => void; onClose: () => void }) {
  const me = staffProfile()
  const self = editing !== null && me?.id === editing.id
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState(editing?.displayName ?? '')
  const [role, setRole] = useState<StaffRole | null>(editing?.role ?? null)
  const [storeId, setStoreId] = useState<number | null>(editing?.storeId ?? null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // A clerk can be put in an open store (or stay in the one they are in, even if it has closed since).
  const storeOptions = stores.filter((s) => !s.closed || s.id === editing?.storeId).map((s) => ({ value: s.id, label: `${s.name}(${s.code})${s.closed ? ' · 已关闭' : ''}` }))
  const usernameOk = editing !== null || STAFF_USERNAME_RE.test(username.trim().toLowerCase())

  const submit = async () => {
    if (busy) return
    const over = tooLong([['姓名', displayName, STAFF_DISPLAY_NAME_MAX]])
    if (over) return setError(over)
    if (!usernameOk) return setError('用户名:2–64 位小写字母、数字或 _ . -,以字母或数字开头')
    if (!role) return setError('请选择角色')
    if (role === 'clerk' && storeId === null) return setError('店员必须选择所属门店')
    setBusy(true)
    setError(null)
    const store = role === 'clerk' ? storeId : null
    try {
      if (editing) {
        const body = {
          ...(role !== editing.role ? { role } : {}),
          ...(store !== editing.storeId ? { storeId: store } : {}),
          ...(displayName.trim() !== editing.displayName ? { displayName: displayName.trim() } : {}),
        }
        if (Object.keys(body).length === 0) return onClose()
        const accessChange = 'role' in body || 'storeId' in body
        if (accessChange && !(await confirmAction('保存修改', `修改 ${editing.username} 的角色或门店后,该账号当前的登录会立即失效,需要重新登录。`, '保存'))) return
        onSaved({ staff: await updateStaff(editing.id, body) })
      } else {
        onSaved(await createStaff({ username: username.trim(), role, storeId: store, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) }))
      }
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog title={editing ? `编辑 ${editing.username}` : '新建员工'} onClose={onClose} locked={busy} cls='jf-account-form'>
      {editing ? null : (
        <View className='field'>
          <Text className='field-label'>用户名(登录用,创建后不可修改)</Text>
          <Input
            className={`field-input jf-account-username ${username && !usernameOk ? 'is-invalid' : ''}`}
            value={username}
            placeholder='例如 clerk-c'
            maxlength={-1}
            onInput={(e) => setUsername(e.detail.value)}
          />
        </View>
      )}
      <View className='field'>
        <Text className='field-label'>姓名(选填)</Text>
        <Input className='field-input jf-account-name' value={displayName} placeholder='例如 王小明' maxlength={-1} onInput={(e) => setDisplayName(e.detail.value)} />
        <LimitHint label='姓名' text={displayName} max={STAFF_DISPLAY_NAME_MAX} />
      </View>
      <View className='field'>
        <Text className='field-label'>角色</Text>
        <Chips options={ROLE_OPTIONS} value={role} onChange={setRole} cls='jf-account-role' disabled={self} />
        {self ? <Text className='field-hint'>不能修改自己的角色,请由另一位管理员操作</Text> : null}
      </View>
      {role === 'clerk' ? (
        <View className='field'>
          <Text className='field-label'>所属门店</Text>
          {storeOptions.length ? <Chips options={storeOptions} value={storeId} onChange={setStoreId} cls='jf-account-store' /> : <Text className='muted'>还没有营业中的门店,请先在「门店」中新建</Text>}
        </View>
      ) : null}
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-account-save ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '保存中…' : editing ? '保存' : '创建账号'}
      </View>
      {editing ? null : <Text className='muted block form-foot'>创建后系统生成初始密码,只显示一次。</Text>}
    </Dialog>
  )
}

function Row({ s, self, onEdit, onChanged, onPassword }: { s: StaffAdminDto; self: boolean; onEdit: () => void; onChanged: () => void; onPassword: (p: { staff: StaffAdminDto; password: string }) => void }) {
  const [busy, setBusy] = useState(false)
  const run = async (fn: () => Promise<void>) => {
    if (busy) return
    setBusy(true)
    try {
      await fn()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  const toggle = () =>
    run(async () => {
      const disabling = !s.disabled
      const ok = disabling
        ? await confirmAction('停用账号', `停用 ${s.username}?该账号会立即下线,且不能再登录。之后可随时启用。`, '停用', true)
        : await confirmAction('启用账号', `启用 ${s.username}?启用后可用原密码登录。`, '启用')
      if (!ok) return
      await updateStaff(s.id, { disabled: disabling })
      toast(disabling ? '已停用,该账号已下线' : '已启用')
      onChanged()
    })
  const reset = () =>
    run(async () => {
      if (!(await confirmAction('重置密码', `为 ${s.username} 生成新密码?旧密码立即失效,该账号会立即下线。`, '重置', true))) return
      onPassword(await resetStaffPassword(s.id))
    })
  return (
    <View className={`table-row account-row jf-account-row jf-account-${s.username} ${s.disabled ? 'is-muted' : ''}`}>
      <View className='cell cell-main col-user'>
        <Text className='jf-account-username-text'>{s.username}</Text>
        {self ? <Text className='tag tag-brand self-tag'>我</Text> : null}
        {s.displayName ? <Text className='cell-sub jf-account-display-name'>{s.displayName}</Text> : null}
      </View>
      <View className='cell col-role'>
        <Text className={`tag ${ROLE_TAG[s.role]} jf-account-role-tag`}>{ROLE_NAMES[s.role]}</Text>
      </View>
      <View className={`cell col-store ${s.storeName ? '' : 'is-empty'}`}>
        <Text className='cell-label'>门店</Text>
        <Text className='jf-account-store-text'>{s.storeName ? `${s.storeName}(${s.storeCode})` : '—'}</Text>
      </View>
      <View className='cell col-status'>
        <Text className={`tag ${s.disabled ? 'tag-danger' : 'tag-success'} jf-account-status`}>{s.disabled ? '已停用' : '在岗'}</Text>
      </View>
      <View className='cell cell-actions col-actions'>
        <Text className='btn-link jf-account-edit' onClick={onEdit}>
          编辑
        </Text>
        {self ? null : (
          <>
            <Text className={`btn-link jf-account-reset ${busy ? 'is-busy' : ''}`} onClick={() => void reset()}>
              重置密码
            </Text>
            <Text className={`btn-link ${s.disabled ? '' : 'is-danger'} jf-account-toggle ${busy ? 'is-busy' : ''}`} onClick={() => void toggle()}>
              {s.disabled ? '启用' : '停用'}
            </Text>
          </>
        )}
      </View>
    </View>
  )
}

/** 员工: staff accounts with role, store and status; create, edit role/store, disable/enable, reset password. */
function AccountsPageBody() {
  const { params } = useRouter()
  const [filter, setFilter] = useState<Filter>({ status: params.status === 'disabled' || params.status === 'active' ? params.status : 'all', role: 'all', q: '' })
  const [applied, setApplied] = useState(filter)
  useEffect(() => {
    const h = setTimeout(() => setApplied(filter), filter.q === applied.q ? 0 : 300)
    return () => clearTimeout(h)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter])
  const r = useResource(() => load(applied), [applied])
  const stores = useResource(listStoresAdmin)
  useShowRefresh(() => r.reload(true))
  const [form, setForm] = useState<{ editing: StaffAdminDto | null } | null>(null)
  const [shown, setShown] = useState<{ staff: StaffAdminDto; password: string; created: boolean } | null>(null)
  const me = staffProfile()
  const set = <K extends keyof Filter>(k: K, v: Filter[K]) => setFilter((f) => ({ ...f, [k]: v }))

  const body = () => {
    if (r.error && !r.data) return <ErrorState error={r.error} onRetry={() => void r.reload()} />
    if (!r.data) return <LoadingState />
    const rows = r.data.staff
    const filtered = applied.status !== 'all' || applied.role !== 'all' || applied.q.trim() !== ''
    return (
      <View>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? '没有符合条件的员工' : '还没有员工'} hint={filtered ? '换个条件试试' : '点右上角「新建员工」添加账号'} icon='人' />
        ) : (
          <View className='table jf-accounts'>
            <View className='table-head'>
              <Text className='col-user'>用户名 / 姓名</Text>
              <Text className='col-role'>角色</Text>
              <Text className='col-store'>门店</Text>
              <Text className='col-status'>状态</Text>
              <Text className='col-actions'>操作</Text>
            </View>
            {rows.map((s) => (
              <Row
                key={s.id}
                s={s}
                self={me?.id === s.id}
                onEdit={() => setForm({ editing: s })}
                onChanged={() => void r.reload(true)}
                onPassword={(out) => {
                  setShown({ ...out, created: false })
                  void r.reload(true)
                }}
              />
            ))}
          </View>
        )}
        <Text className='muted block list-foot'>
          {r.data.truncated ? `只显示前 ${rows.length} 个账号,请用上面的条件缩小范围` : `共 ${rows.length} 个账号`}
        </Text>
      </View>
    )
  }

  return (
    <>
      <PageHead
        title='员工账号'
        sub='停用、改角色、改门店或重置密码后,该账号已登录的设备会立即下线'
        action={
          <View className='btn btn-primary btn-small jf-account-new' onClick={() => setForm({ editing: null })}>
            + 新建员工
          </View>
        }
      />
      <View className='filters card'>
        <View className='field'>
          <Text className='field-label'>状态</Text>
          <Chips
            options={[
              { value: 'all' as Status, label: '全部' },
              { value: 'active' as Status, label: '在岗' },
              { value: 'disabled' as Status, label: '已停用' },
            ]}
            value={filter.status}
            onChange={(v) => set('status', v)}
            cls='jf-filter-status'
          />
        </View>
        <View className='field'>
          <Text className='field-label'>角色</Text>
          <Chips options={[{ value: 'all' as const, label: '全部' }, ...ROLE_OPTIONS]} value={filter.role} onChange={(v) => set('role', v)} cls='jf-filter-role' />
        </View>
        <View className='field search-field'>
          <Text className='field-label'>搜索</Text>
          <Input className='field-input jf-filter-q' value={filter.q} placeholder='用户名开头或姓名' maxlength={-1} onInput={(e) => set('q', e.detail.value)} />
        </View>
      </View>
      {body()}
      {form ? (
        <AccountForm
          stores={stores.data ?? []}
          editing={form.editing}
          onClose={() => setForm(null)}
          onSaved={(out) => {
            setForm(null)
            if (out.password) setShown({ staff: out.staff, password: out.password, created: true })
            else toast('已保存')
            void r.reload(true)
          }}
        />
      ) : null}
      {shown ? (
        <Dialog title={shown.created ? '账号已创建' : '密码已重置'} onClose={() => setShown(null)} cls='jf-password-dialog'>
          <PasswordOnce
            username={shown.staff.username}
            password={shown.password}
            intro={shown.created ? `${ROLE_NAMES[shown.staff.role]} ${shown.staff.username} 的初始密码:` : `${shown.staff.username} 的新密码(旧密码和已登录的设备均已失效):`}
            onDone={() => setShown(null)}
          />
        </Dialog>
      ) : null}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function AccountsPage() {
  return (
    <StaffShell active='accounts'>
      <AccountsPageBody />
    </StaffShell>
  )
}
