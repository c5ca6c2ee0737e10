import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { DISPUTE_STATUS_NAMES, DISPUTE_TEXT_MAX, timeLeftLabel, type DisputeStatus } from '@jifen/shared'
import { answerDispute, disputeQueue, type AdminDisputeDto } from '../../services/disputes'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { toast } from '../../utils/feedback'
import { formatDelta, localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { ImageStrip } from '../../components/image-strip'
import { useFormAction } from '../../hooks/use-form-action'
import { Chips, Dialog, PageHead } from '../components/admin-ui'
import '../components/backoffice.css'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

type Filter = DisputeStatus | 'all'
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'open', label: '待答复' },
  { value: 'answered', label: '已答复' },
  { value: 'closed', label: '已关闭' },
  { value: 'all', label: '全部' },
]

function AnswerForm({ d, onClose, onDone }: { d: AdminDisputeDto; onClose: () => void; onDone: () => void }) {
  const [text, setText] = useState('')
  const [points, setPoints] = useState('')
  const { busy, error, setError, run } = useFormAction()
  const submit = async () => {
    if (busy) return
    const over = tooLong([['答复', text, DISPUTE_TEXT_MAX]])
    if (over) return setError(over)
    if ([...text.trim()].length < 2) return setError('请填写答复内容')
    const p = points.trim() === '' ? undefined : Number(points)
    if (p !== undefined && (!Number.isInteger(p) || p === 0)) return setError('调整积分须为非零整数(负数为扣回)')
    await run(async () => {
      const out = await answerDispute(d.id, { text, ...(p !== undefined ? { adjustPoints: p } : {}) })
      toast(out.adjustment?.status === 'pending' ? '已答复,积分调整待管理员审批' : '已答复,会员将收到通知')
      onDone()
    }, () => void submit())
  }
  return (
    <Dialog title={`答复申诉 #${d.id} · ${d.member.nickname}`} onClose={onClose} locked={busy} cls='jf-answer-form'>
      <Text className='muted block'>会员:{d.text}</Text>
      <ImageStrip urls={d.images} className='jf-answer-images' />
      {d.entry ? <Text className='muted block'>关于:{d.entry.reason}({formatDelta(d.entry.delta)})</Text> : null}
      <View className='field'>
        <Text className='field-label'>答复内容(会员可见)</Text>
        <Textarea className='bo-textarea dispute-answer-input jf-answer-text' value={text} maxlength={-1} placeholder='例如:已核实,补发积分' onInput={(e) => setText(e.detail.value)} />
        <LimitHint label='答复' text={text} max={DISPUTE_TEXT_MAX} />
      </View>
      <View className='field'>
        <Text className='field-label'>调整积分(可选;正数补发,负数扣回,经调整审批规则)</Text>
        <Input className='field-input jf-answer-points' type='text' value={points} placeholder='不调整请留空' onInput={(e) => setPoints(e.detail.value)} />
      </View>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-answer-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '提交中…' : '提交答复'}
      </View>
    </Dialog>
  )
}

function Row({ d, tz, onAnswer }: { d: AdminDisputeDto; tz: string; onAnswer: () => void }) {
  const clock =
    d.status === 'open' ? (
      <Text className={`tag ${d.overdue ? 'tag-danger' : d.msLeft < 86_400_000 ? 'tag-warning' : 'tag-info'} jf-dispute-left`}>{timeLeftLabel(d.msLeft)}</Text>
    ) : d.answeredInTime !== null ? (
      <Text className={`tag ${d.answeredInTime ? 'tag-success' : 'tag-danger'}`}>{d.answeredInTime ? '按时答复' : '超时答复'}</Text>
    ) : null
  return (
    <View className={`card dispute-row jf-dispute-row jf-dispute-row-${d.id} ${d.overdue ? 'is-overdue jf-dispute-overdue' : ''}`}>
      <View className='row-between'>
        <Text className='bo-row-title'>
          #{d.id} ·{' '}
          <Text className='link' onClick={() => void Taro.navigateTo({ url: `/staff/member/index?id=${d.member.id}` })}>
            {d.member.nickname}
          </Text>
        </Text>
        <View className='row'>
          {clock}
          <Text className='tag jf-dispute-row-status'>{DISPUTE_STATUS_NAMES[d.status]}</Text>
        </View>
      </View>
      <Text className='block dispute-row-text'>{d.text}</Text>
      <ImageStrip urls={d.images} className='jf-dispute-row-images' />
      {d.entry ? (
        <Text className='muted block'>
          关于:{d.entry.reason} {formatDelta(d.entry.delta)} · {localTime(d.entry.createdAt, tz, 'M月D日 HH:mm')}
        </Text>
      ) : null}
      <Text className='bo-row-sub block'>
        提交于 {localTime(d.createdAt, tz)} · 期限 {localTime(d.dueAt, tz)}
      </Text>
      {d.answer ? (
        <View className='dispute-row-answer'>
          <Text className='block'>
            {d.answeredBy} 答复:{d.answer.text}
          </Text>
          {d.adjustment ? (
            <Text className='muted block jf-dispute-adjustment'>
              调整 {formatDelta(d.adjustment.points)} 分 · {d.adjustment.status === 'applied' ? '已入账' : d.adjustment.status === 'pending' ? '待审批' : '已驳回'}
            </Text>
          ) : null}
        </View>
      ) : null}
      {d.status === 'open' ? (
        <View className='bo-actions'>
          <View className='btn btn-primary btn-small jf-dispute-answer-btn' onClick={onAnswer}>
            答复
          </View>
        </View>
      ) : null}
    </View>
  )
}

/** 积分申诉 (service, admin): the queue by deadline, time left on each, overdue ones in red; answer with an optional adjustment. */
function DisputesQueuePageBody() {
  const router = useRouter()
  const initial = (FILTERS.find((f) => f.value === router.params.status)?.value ?? 'open') as Filter
  const [filter, setFilter] = useState<Filter>(initial)
  const [answering, setAnswering] = useState<AdminDisputeDto | null>(null)
  const r = useResource(async () => {
    const [list, rules] = await Promise.all([disputeQueue(filter === 'all' ? null : filter), getRules()])
    return { list, tz: rules.timezone }
  }, [filter])
  useShowRefresh(() => r.reload(true))
  const counts = r.data?.list.counts
  return (
    <>
      <PageHead
        title='积分申诉'
        sub={r.data ? `${r.data.list.slaDays} 天内答复 · 待答复 ${counts!.open} 件${counts!.overdue > 0 ? ` · 已超时 ${counts!.overdue} 件` : ''}` : undefined}
      />
      <Chips options={FILTERS} value={filter} onChange={setFilter} cls='jf-dispute-filter' />
      {r.error && !r.data ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !r.data ? (
        <LoadingState />
      ) : r.data.list.disputes.length === 0 ? (
        <EmptyState title={filter === 'open' ? '没有待答复的申诉' : '没有记录'} icon='✓' />
      ) : (
        r.data.list.disputes.map((d) => <Row key={d.id} d={d} tz={r.data!.tz} onAnswer={() => setAnswering(d)} />)
      )}
      {answering ? (
        <AnswerForm
          d={answering}
          onClose={() => setAnswering(null)}
          onDone={() => {
            setAnswering(null)
            void r.reload(true)
          }}
        />
      ) : null}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function DisputesQueuePage() {
  return (
    <StaffShell active='disputes'>
      <DisputesQueuePageBody />
    </StaffShell>
  )
}
