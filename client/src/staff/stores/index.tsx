import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { STORE_CODE_RE, STORE_NAME_MAX } from '@jifen/shared'
import { createStore, listStaff, listStoresAdmin, updateStore, type StoreDto } from '../../services/staff-admin'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError, reportError, toast } from '../../utils/feedback'
import { localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { Dialog, PageHead, confirmAction } from '../components/admin-ui'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

async function load() {
  const [stores, clerks, rules] = await Promise.all([listStoresAdmin(), listStaff({ role: 'clerk', status: 'active' }), getRules()])
  const clerksAt = new Map<number, number>()
  for (const c of clerks.staff) if (c.storeId !== null) clerksAt.set(c.storeId, (clerksAt.get(c.storeId) ?? 0) + 1)
  return { stores, clerksAt, timezone: rules.timezone }
}

/** Create (code + name) or rename (name). */
function StoreForm({ editing, onSaved, onClose }: { editing: StoreDto | null; onSaved: (s: StoreDto) => void; onClose: () => void }) {
  const [code, setCode] = useState('')
  const [name, setName] = useState(editing?.name ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const codeOk = editing !== null || STORE_CODE_RE.test(code.trim().toUpperCase())
  const submit = async () => {
    if (busy) return
    const over = tooLong([['门店名称', name, STORE_NAME_MAX]])
    if (over) return setError(over)
    if (!codeOk) return setError('门店编码:1–32 位字母、数字或 _ -,例如 C 或 BJ-01')
    if (!name.trim()) return setError('请输入门店名称')
    setBusy(true)
    setError(null)
    try {
      if (editing && name.trim() === editing.name) return onClose()
      onSaved(editing ? await updateStore(editing.id, { name: name.trim() }) : await createStore({ code: code.trim(), name: name.trim() }))
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog title={editing ? `门店改名 · ${editing.code}` : '新建门店'} onClose={onClose} locked={busy} cls='jf-store-form'>
      {editing ? null : (
        <View className='field'>
          <Text className='field-label'>门店编码(小票和命令行使用,创建后不可修改)</Text>
          <Input className={`field-input jf-store-code ${code && !codeOk ? 'is-invalid' : ''}`} value={code} placeholder='例如 C 或 BJ-01' maxlength={-1} onInput={(e) => setCode(e.detail.value)} />
        </View>
      )}
      <View className='field'>
        <Text className='field-label'>门店名称</Text>
        <Input className='field-input jf-store-name' value={name} placeholder='例如 望京店' maxlength={-1} onInput={(e) => setName(e.detail.value)} />
        <LimitHint label='门店名称' text={name} max={STORE_NAME_MAX} />
      </View>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-store-save ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '保存中…' : editing ? '保存' : '创建门店'}
      </View>
    </Dialog>
  )
}

function Row({ s, clerks, timezone, onRename, onChanged }: { s: StoreDto; clerks: number; timezone: string; onRename: () => void; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  const toggle = async () => {
    if (busy) return
    const closing = !s.closed
    const ok = closing
      ? await confirmAction('关闭门店', `关闭「${s.name}」?关闭后该店店员不能再为会员消费积分,也不能再分配店员;退款和兑换核销照常。可随时重新营业。`, '关闭门店', true)
      : await confirmAction('重新营业', `让「${s.name}」重新营业?该店店员可以继续为会员积分。`, '重新营业')
    if (!ok) return
    setBusy(true)
    try {
      await updateStore(s.id, { closed: closing })
      toast(closing ? '门店已关闭' : '门店已重新营业')
      onChanged()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`table-row store-row jf-store-row jf-store-${s.code} ${s.closed ? 'is-muted' : ''}`}>
      <View className='cell cell-main col-name'>
        <Text className='jf-store-name-text'>{s.name}</Text>
        <Text className='cell-sub'>编码 {s.code}</Text>
      </View>
      <View className='cell col-clerks'>
        <Text className='cell-label'>店员</Text>
        <Text className='num'>{clerks} 人</Text>
      </View>
      <View className='cell col-status'>
        <Text className={`tag ${s.closed ? 'tag-danger' : 'tag-success'} jf-store-status`}>{s.closed ? '已关闭' : '营业中'}</Text>
        {s.closedAt ? <Text className='cell-sub'>{localTime(s.closedAt, timezone, 'YYYY-MM-DD')} 关闭</Text> : null}
      </View>
      <View className='cell cell-actions col-actions'>
        <Text className='btn-link jf-store-rename' onClick={onRename}>
          改名
        </Text>
        <Text className={`btn-link ${s.closed ? '' : 'is-danger'} jf-store-toggle ${busy ? 'is-busy' : ''}`} onClick={() => void toggle()}>
          {s.closed ? '重新营业' : '关闭门店'}
        </Text>
      </View>
    </View>
  )
}

/** 门店: stores with their clerks and status; create, rename, close / reopen. */
function StoresPageBody() {
  const r = useResource(load)
  useShowRefresh(() => r.reload(true))
  const [form, setForm] = useState<{ editing: StoreDto | null } | null>(null)
  const d = r.data
  return (
    <>
      <PageHead
        title='门店'
        sub='关闭的门店不能再消费积分、不能分配店员;历史订单的退款和兑换核销不受影响'
        action={
          <View className='btn btn-primary btn-small jf-store-new' onClick={() => setForm({ editing: null })}>
            + 新建门店
          </View>
        }
      />
      {r.error && !d ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !d ? (
        <LoadingState />
      ) : d.stores.length === 0 ? (
        <EmptyState title='还没有门店' hint='新建门店后即可为它添加店员' icon='店' />
      ) : (
        <View className='table jf-stores'>
          <View className='table-head'>
            <Text className='col-name'>门店</Text>
            <Text className='col-clerks'>在岗店员</Text>
            <Text className='col-status'>状态</Text>
            <Text className='col-actions'>操作</Text>
          </View>
          {d.stores.map((s) => (
            <Row key={s.id} s={s} clerks={d.clerksAt.get(s.id) ?? 0} timezone={d.timezone} onRename={() => setForm({ editing: s })} onChanged={() => void r.reload(true)} />
          ))}
        </View>
      )}
      {form ? (
        <StoreForm
          editing={form.editing}
          onClose={() => setForm(null)}
          onSaved={(s) => {
            setForm(null)
            toast(form.editing ? '已改名' : `已创建 ${s.name}`)
            void r.reload(true)
          }}
        />
      ) : null}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function StoresPage() {
  return (
    <StaffShell active='stores'>
      <StoresPageBody />
    </StaffShell>
  )
}
