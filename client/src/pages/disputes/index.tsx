import { useRouter } from '@tarojs/taro'
import { View, Text, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import { DISPUTE_IMAGES_MAX, DISPUTE_STATUS_NAMES, DISPUTE_TEXT_MAX, type LedgerEntryDto } from '@jifen/shared'
import { closeDispute, fileDispute, myDisputes, uploadDisputeImage, type DisputeDto } from '../../services/disputes'
import { imageTooLarge, pickImage } from '../../services/files'
import { getLedger } from '../../services/me'
import { getRules } from '../../services/rules'
import { IdempotentAction } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { Sheet } from '../../components/sheet'
import { ImageStrip } from '../../components/image-strip'
import { useFormAction } from '../../hooks/use-form-action'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError, reportError, toast } from '../../utils/feedback'
import { formatDelta, localTime } from '../../utils/format'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

const STATUS_TAG: Record<DisputeDto['status'], string> = { open: 'tag-warning', answered: 'tag-success', closed: 'tag-info' }

/** The form: what it is about (one of the recent entries, or none) and what happened. */
function FileSheet({ entries, tz, preset, slaDays, onClose, onFiled }: { entries: LedgerEntryDto[]; tz: string; preset: number | null; slaDays: number; onClose: () => void; onFiled: () => void }) {
  const [entryId, setEntryId] = useState<number | null>(preset)
  const [text, setText] = useState('')
  const [images, setImages] = useState<string[]>([])
  const [uploading, setUploading] = useState(false)
  const { busy, error, setError, run } = useFormAction()
  const action = useRef(new IdempotentAction())
  // A picture is uploaded as soon as it is picked (the server checks its type and size); the dispute names its URL.
  const addImage = async () => {
    if (uploading || images.length >= DISPUTE_IMAGES_MAX) return
    const picked = await pickImage()
    if (!picked) return
    if (imageTooLarge(picked)) return setError('图片不能超过 2 MB,请换一张或截图后再选')
    setUploading(true)
    setError('')
    try {
      const up = await uploadDisputeImage(picked.bytes)
      // The URL is signed and expires, so the same picture picked twice is matched by its path.
      const path = up.url.split('?')[0]
      setImages((now) => (now.some((u) => u.split('?')[0] === path) || now.length >= DISPUTE_IMAGES_MAX ? now : [...now, up.url]))
    } catch (e) {
      handleActionError(e, setError, () => void addImage())
    } finally {
      setUploading(false)
    }
  }
  const submit = async () => {
    if (busy || uploading) return
    const over = tooLong([['说明', text, DISPUTE_TEXT_MAX]])
    if (over) return setError(over)
    if ([...text.trim()].length < 5) return setError('请至少写 5 个字,说明哪里不对')
    const body = { text, ...(entryId ? { entryId } : {}), ...(images.length > 0 ? { images } : {}) }
    await run(async () => {
      await action.current.run(body, (key) => fileDispute(body, key))
      toast(`已提交,我们将在 ${slaDays} 天内答复`)
      onFiled()
    }, () => void submit())
  }
  return (
    <Sheet title='提交申诉' onClose={onClose} locked={busy} className='jf-dispute-form'>
      <Text className='field-label block'>关于哪一笔(可不选)</Text>
      <View className='dispute-entries'>
        {entries.slice(0, 8).map((e) => (
          <View key={e.id} className={`dispute-entry jf-dispute-entry jf-dispute-entry-${e.id} ${entryId === e.id ? 'is-on' : ''}`} onClick={() => setEntryId(entryId === e.id ? null : e.id)}>
            <Text className='grow'>{e.reason}</Text>
            <Text className='muted'>{localTime(e.createdAt, tz, 'M月D日')}</Text>
            <Text className={`num dispute-entry-delta ${e.delta > 0 ? 'plus' : 'minus'}`}>{formatDelta(e.delta)}</Text>
          </View>
        ))}
      </View>
      <Text className='field-label block'>问题描述</Text>
      <Textarea className='dispute-textarea jf-dispute-text' value={text} maxlength={-1} placeholder='例如:6月3日在国贸店消费 88 元,没有收到积分' onInput={(e) => setText(e.detail.value)} />
      <LimitHint label='说明' text={text} max={DISPUTE_TEXT_MAX} />
      <Text className='field-label block'>
        图片(可选,最多 {DISPUTE_IMAGES_MAX} 张)
      </Text>
      <ImageStrip urls={images} onRemove={(u) => setImages(images.filter((x) => x !== u))} className='jf-dispute-form-images' />
      {images.length < DISPUTE_IMAGES_MAX ? (
        <View className={`btn btn-plain btn-small dispute-add-image jf-dispute-add-image ${uploading ? 'is-busy' : ''}`} onClick={() => void addImage()}>
          {uploading ? '上传中…' : '添加图片'}
        </View>
      ) : null}
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-dispute-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '提交中…' : '提交申诉'}
      </View>
    </Sheet>
  )
}

function DisputeCard({ d, tz, onChanged }: { d: DisputeDto; tz: string; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  const close = async () => {
    if (busy) return
    setBusy(true)
    try {
      await closeDispute(d.id)
      toast(d.status === 'open' ? '已撤回' : '已确认解决')
      onChanged()
    } catch (e) {
      void reportError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`card dispute jf-dispute jf-dispute-${d.id} is-${d.status}`}>
      <View className='row-between'>
        <Text className='muted'>
          申诉 #{d.id} · {localTime(d.createdAt, tz, 'M月D日 HH:mm')}
        </Text>
        <Text className={`tag ${STATUS_TAG[d.status]} jf-dispute-status`}>{DISPUTE_STATUS_NAMES[d.status]}</Text>
      </View>
      {d.entry ? (
        <View className='dispute-about'>
          <Text className='grow'>关于:{d.entry.reason}</Text>
          <Text className='num'>{formatDelta(d.entry.delta)}</Text>
        </View>
      ) : null}
      <Text className='dispute-text block'>{d.text}</Text>
      <ImageStrip urls={d.images} className='jf-dispute-images' />
      {d.answer ? (
        <View className='dispute-answer jf-dispute-answer'>
          <Text className='dispute-answer-title block'>
            客服答复 · {localTime(d.answer.answeredAt, tz, 'M月D日 HH:mm')}
            {d.answer.adjustPoints ? <Text className='num jf-dispute-points'> {formatDelta(d.answer.adjustPoints)} 分</Text> : null}
          </Text>
          <Text className='block jf-dispute-answer-text'>{d.answer.text}</Text>
        </View>
      ) : d.status === 'open' ? (
        <Text className='muted block dispute-due'>将于 {localTime(d.dueAt, tz, 'M月D日 HH:mm')} 前答复</Text>
      ) : null}
      {d.status !== 'closed' ? (
        <View className='dispute-actions'>
          <View className={`btn btn-plain btn-small jf-dispute-close ${busy ? 'is-busy' : ''}`} onClick={() => void close()}>
            {d.status === 'open' ? '撤回申诉' : '问题已解决'}
          </View>
        </View>
      ) : null}
    </View>
  )
}

/** 积分申诉: the member's disputes with status and answer, and a form to file one (about an entry of 明细 or not). */
export default function DisputesPage() {
  const router = useRouter()
  const preset = router.params.entryId ? Number(router.params.entryId) || null : null
  const [formOpen, setFormOpen] = useState(preset !== null)
  const r = useResource(async () => {
    const [disputes, ledger, rules] = await Promise.all([myDisputes(), getLedger(null), getRules()])
    return { disputes, entries: ledger.entries, rules }
  })
  useShowRefresh(() => r.reload(true))
  if (r.error && !r.data) return <View className='page'><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><LoadingState /></View>
  const { disputes, entries, rules } = r.data
  return (
    <View className='page disputes'>
      <View className='card dispute-intro'>
        <Text className='card-title block'>对积分有疑问?</Text>
        <Text className='muted block'>提交申诉后,客服将在 {rules.disputes.slaDays} 天内答复;如需补发或扣回积分,会直接计入明细。</Text>
        <View className='btn btn-primary btn-block jf-dispute-new' onClick={() => setFormOpen(true)}>
          提交申诉
        </View>
      </View>
      {disputes.length === 0 ? (
        <EmptyState title='还没有申诉' hint='积分有任何疑问都可以在这里提出' icon='?' />
      ) : (
        disputes.map((d) => <DisputeCard key={d.id} d={d} tz={rules.timezone} onChanged={() => void r.reload(true)} />)
      )}
      {formOpen ? (
        <FileSheet
          entries={entries}
          tz={rules.timezone}
          preset={preset}
          slaDays={rules.disputes.slaDays}
          onClose={() => setFormOpen(false)}
          onFiled={() => {
            setFormOpen(false)
            void r.reload(true)
          }}
        />
      ) : null}
    </View>
  )
}
