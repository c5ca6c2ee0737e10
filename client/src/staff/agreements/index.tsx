import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { AGREEMENT_BODY_MAX, AGREEMENT_KIND_NAMES, AGREEMENT_TITLE_MAX, type AgreementKind } from '@jifen/shared'
import { listAgreements, publishAgreement, type AgreementDocumentDto } from '../../services/agreement'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError, toast } from '../../utils/feedback'
import { localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { Chips, PageHead, confirmAction } from '../components/admin-ui'
import '../components/backoffice.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

function Editor({ kind, current, onDone }: { kind: AgreementKind; current: AgreementDocumentDto | null; onDone: () => void }) {
  const [title, setTitle] = useState(current?.title ?? AGREEMENT_KIND_NAMES[kind])
  const [body, setBody] = useState(current?.body ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const next = (current?.version ?? 0) + 1
  const changed = !current || title.trim() !== current.title || body.trim() !== current.body
  const submit = async () => {
    if (busy) return
    const over = tooLong([['标题', title, AGREEMENT_TITLE_MAX], ['正文', body, AGREEMENT_BODY_MAX]])
    if (over) return setError(over)
    if (!changed) return setError('内容没有变化')
    if ([...body.trim()].length < 10) return setError('正文至少 10 个字')
    const ok = await confirmAction(`发布第 ${next} 版`, `发布后所有会员需重新同意《${title.trim()}》才能继续赚积分、用积分。旧版本保留可查。`, '发布')
    if (!ok) return
    setBusy(true)
    setError('')
    try {
      await publishAgreement({ kind, title, body })
      toast(`已发布第 ${next} 版`)
      onDone()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card jf-agreement-editor'>
      <Text className='card-title block'>编辑 · 将发布为第 {next} 版</Text>
      <View className='field'>
        <Text className='field-label'>标题</Text>
        <Input className='field-input jf-agreement-title' value={title} maxlength={-1} onInput={(e) => setTitle(e.detail.value)} />
        <LimitHint label='标题' text={title} max={AGREEMENT_TITLE_MAX} />
      </View>
      <View className='field'>
        <Text className='field-label'>正文({[...body].length} / {AGREEMENT_BODY_MAX} 字)</Text>
        <Textarea className='bo-textarea agreement-body jf-agreement-body' value={body} maxlength={-1} onInput={(e) => setBody(e.detail.value)} />
        <LimitHint label='正文' text={body} max={AGREEMENT_BODY_MAX} />
      </View>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary jf-agreement-publish ${busy ? 'is-busy' : ''} ${changed ? '' : 'is-disabled'}`} onClick={() => void submit()}>
        {busy ? '发布中…' : `发布第 ${next} 版`}
      </View>
    </View>
  )
}

/**
 * 会员协议 (admin): the points agreement and the privacy notice as versions. Publishing never edits a version:
 * it adds the next one, and members are asked to accept it before they earn or spend again.
 */
function AgreementsPageBody() {
  const [kind, setKind] = useState<AgreementKind>('terms')
  const r = useResource(async () => {
    const [list, rules] = await Promise.all([listAgreements(), getRules()])
    return { docs: list.documents, tz: rules.timezone }
  })
  const [editorKey, setEditorKey] = useState(0)
  const versions = r.data?.docs.filter((d) => d.kind === kind) ?? []
  return (
    <>
      <PageHead title='会员协议' sub='新版本发布后,会员需重新同意才能继续赚积分、用积分' />
      <Chips
        options={(['terms', 'privacy'] as const).map((k) => ({ value: k, label: AGREEMENT_KIND_NAMES[k] }))}
        value={kind}
        onChange={(k) => {
          setKind(k)
          setEditorKey((n) => n + 1)
        }}
        cls='jf-agreement-kind'
      />
      {r.error && !r.data ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !r.data ? (
        <LoadingState />
      ) : (
        <View>
          <Editor
            key={`${kind}-${editorKey}-${versions[0]?.version ?? 0}`}
            kind={kind}
            current={versions[0] ?? null}
            onDone={() => {
              setEditorKey((n) => n + 1)
              void r.reload(true)
            }}
          />
          <Text className='section-title block'>历史版本</Text>
          {versions.length === 0 ? (
            <EmptyState title='还没有版本' />
          ) : (
            versions.map((d, i) => (
              <View key={d.id} className={`card bo-row bo-row-static jf-agreement-version jf-agreement-v${d.version}`}>
                <View className='bo-row-main'>
                  <Text className='bo-row-title'>
                    第 {d.version} 版 · {d.title} {i === 0 ? <Text className='tag tag-success'>当前</Text> : null}
                  </Text>
                  <Text className='bo-row-sub'>
                    {d.createdBy ?? '系统初始'} · {localTime(d.createdAt, r.data!.tz)} · <Text className='jf-agreement-accepted'>{d.acceptedCount}</Text> 位会员已同意
                  </Text>
                </View>
              </View>
            ))
          )}
        </View>
      )}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function AgreementsPage() {
  return (
    <StaffShell active='agreements'>
      <AgreementsPageBody />
    </StaffShell>
  )
}
