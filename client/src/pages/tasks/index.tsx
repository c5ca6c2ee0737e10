import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { REVIEW_TEXT_MAX, REVIEW_TEXT_MIN, formatYuan, type TaskChannelDto } from '@jifen/shared'
import { bindCard, getTaskCenter, reviewOrder, shared, takeSurvey, type TaskCenterResponse, type TaskResponse } from '../../services/tasks'
import { checkIn } from '../../services/me'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { Sheet } from '../../components/sheet'
import { ProgressBar } from '../../components/progress-bar'
import { ErrorState, Skeleton } from '../../components/state-view'
import { formatPoints, localTime } from '../../utils/format'
import { reportError, toast } from '../../utils/feedback'
import { useFormAction } from '../../hooks/use-form-action'
import { Icon, type IconName } from '../../components/icon'
import './index.css'
import { LimitHint, tooLong } from '../../components/limit-hint'

const ICONS: Record<TaskChannelDto['channel'], IconName> = { checkin: 'calendar', review: 'review', bind_card: 'card', survey: 'survey', share: 'share', invite: 'invite' }
const PERIOD: Record<TaskChannelDto['period'], string> = { day: '今日', once: '限一次', order: '每笔订单', survey: '每份问卷', friend: '每位好友首单' }

/** "今日 2/3" / "已完成" / "可做 3 单": the state line of a channel. */
function stateLabel(c: TaskChannelDto): string {
  if (c.channel === 'invite') return `已邀请成功 ${c.done} 位`
  if (c.cap !== null && c.left === 0) return c.period === 'day' ? `今日已完成 ${c.done}/${c.cap}` : '已完成'
  if (c.period === 'day') return `今日 ${c.done}/${c.cap}`
  if (c.channel === 'review') return c.left ? `${c.left} 笔订单待评价` : '暂无待评价订单'
  return `还可完成 ${c.left}`
}

function earned(out: TaskResponse, what: string) {
  toast(out.points > 0 ? `${what} +${out.points} 分` : `${what}(本月非消费积分已达上限)`)
}

function SurveySheet({ s, onClose, onDone }: { s: TaskCenterResponse['surveys'][number]; onClose: () => void; onDone: () => void }) {
  const [answers, setAnswers] = useState<string[]>(s.questions.map(() => ''))
  const { busy, error, setError, run } = useFormAction()
  const set = (i: number, v: string) => setAnswers(answers.map((a, j) => (j === i ? v : a)))
  const submit = async () => {
    if (answers.some((a) => a.trim() === '')) return setError('请回答全部问题')
    const over = tooLong(answers.map((a, i) => [`第 ${i + 1} 题`, a, 200]))
    if (over) return setError(over)
    await run(async () => {
      earned(await takeSurvey(s.id, answers), '问卷已提交')
      onDone()
    }, () => void submit())
  }
  return (
    <Sheet title={`${s.title} · +${s.points} 分`} onClose={onClose} locked={busy} className='jf-survey-sheet'>
      {s.questions.map((q, i) => (
        <View key={i} className='survey-q'>
          <Text className='block'>
            {i + 1}. {q.text}
          </Text>
          {q.options ? (
            <View className='chips'>
              {q.options.map((o) => (
                <View key={o} className={`chip jf-survey-answer ${answers[i] === o ? 'is-on' : ''}`} onClick={() => set(i, o)}>
                  {o}
                </View>
              ))}
            </View>
          ) : (
            <>
              <Input className='field-input jf-survey-text' value={answers[i]} maxlength={-1} placeholder='请填写' onInput={(e) => set(i, e.detail.value)} />
              <LimitHint label={`第 ${i + 1} 题`} text={answers[i] ?? ''} max={200} />
            </>
          )}
        </View>
      ))}
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-survey-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        提交问卷
      </View>
    </Sheet>
  )
}

/** A review earns with a text of at least REVIEW_TEXT_MIN characters (stored with the review). */
function ReviewSheet({ order, onClose, onDone }: { order: { orderNo: string; storeId: number }; onClose: () => void; onDone: () => void }) {
  const [text, setText] = useState('')
  const { busy, error, setError, run } = useFormAction()
  const submit = async () => {
    if ([...text.trim()].length < REVIEW_TEXT_MIN) return setError(`请至少写 ${REVIEW_TEXT_MIN} 个字`)
    const over = tooLong([['评价', text, REVIEW_TEXT_MAX]])
    if (over) return setError(over)
    await run(async () => {
      earned(await reviewOrder(order.orderNo, order.storeId, text), '评价成功')
      onDone()
    }, () => void submit())
  }
  return (
    <Sheet title={`评价订单 ${order.orderNo}`} onClose={onClose} locked={busy} className='jf-review-sheet'>
      <Text className='muted block'>写下您的感受(至少 {REVIEW_TEXT_MIN} 个字),积分在退货期过后到账。</Text>
      <Textarea className='review-textarea jf-review-text' value={text} maxlength={-1} placeholder='口味、服务、环境……' onInput={(e) => setText(e.detail.value)} />
      <LimitHint label='评价' text={text} max={REVIEW_TEXT_MAX} />
      <Text className='muted block'>
        {[...text.trim()].length} / {REVIEW_TEXT_MIN} 字起
      </Text>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-review-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        提交评价
      </View>
    </Sheet>
  )
}

function CardSheet({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [cardNo, setCardNo] = useState('')
  const { busy, error, setError, run } = useFormAction()
  const submit = async () => {
    if (!/^[0-9]{8,19}$/.test(cardNo)) return setError('请输入 8-19 位卡号')
    await run(async () => {
      earned(await bindCard(cardNo), '绑卡成功')
      onDone()
    }, () => void submit())
  }
  return (
    <Sheet title='绑定银行卡' onClose={onClose} locked={busy} className='jf-card-sheet'>
      <Text className='muted block'>卡号仅用于校验,不会保存。</Text>
      <Input className='field-input jf-card-no' type='number' value={cardNo} maxlength={-1} placeholder='银行卡号' onInput={(e) => setCardNo(e.detail.value)} />
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-primary btn-block jf-card-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        确认绑定
      </View>
    </Sheet>
  )
}

function InviteCard({ invite }: { invite: TaskCenterResponse['invite'] }) {
  const copy = () => {
    Taro.setClipboardData({ data: `我在用积分会员,消费就能攒积分换好礼!注册时填我的邀请码 ${invite.code},首次消费我们都得积分。` })
      .then(() => toast('邀请语已复制,发给好友吧'))
      .catch(() => toast('复制失败,请手动告诉好友邀请码'))
  }
  return (
    <View className='invite-card jf-invite-card'>
      <Text className='invite-title block'>邀请好友一起攒积分</Text>
      <Text className='invite-label block'>我的邀请码</Text>
      <Text className='invite-code num jf-invite-code'>{invite.code}</Text>
      <Text className='invite-rule block'>
        好友填写邀请码并完成首次消费,你得 {invite.inviterPoints} 分,好友得 {invite.inviteePoints} 分
      </Text>
      <Text className='invite-rule block'>
        已邀请 {invite.invitees.total} 位 · 已得奖励 {invite.invitees.rewarded} 位{invite.invitees.pending > 0 ? ` · ${invite.invitees.pending} 位退货期后到账` : ''}{invite.invitedBy ? ` · 我的邀请人:${invite.invitedBy}` : ''}
      </Text>
      <View className='btn invite-btn jf-invite-copy' onClick={copy}>
        复制邀请语
      </View>
    </View>
  )
}

/**
 * 任务中心: every way to earn the rules advertise, each with its state now (done, left, cap) and its action.
 * The numbers come from GET /me/tasks, read from the same rows the actions write, so a refusal never surprises.
 */
export default function TasksPage() {
  const r = useResource(async () => {
    const [c, rules] = await Promise.all([getTaskCenter(), getRules()])
    return { c, tz: rules.timezone }
  })
  useShowRefresh(() => r.reload(true))
  // Opened from 明细 with ?review=<storeId>:<orderNo>: the review form for that order comes up at once.
  const from = /^(\d+):(.+)$/.exec(decodeURIComponent(useRouter().params.review ?? ''))
  const [sheet, setSheet] = useState<{ kind: 'card' } | { kind: 'survey'; id: number } | { kind: 'review'; orderNo: string; storeId: number } | null>(
    from ? { kind: 'review', storeId: Number(from[1]), orderNo: from[2]! } : null,
  )
  const [busy, setBusy] = useState<string | null>(null)
  if (r.error && !r.data) return <View className='page'><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><Skeleton heights={[200, 600]} /></View>
  const { c, tz } = r.data
  const reload = () => void r.reload(true)
  const run = async (key: string, fn: () => Promise<void>) => {
    if (busy) return
    setBusy(key)
    try {
      await fn()
      reload()
    } catch (e) {
      void reportError(e)
      reload()
    } finally {
      setBusy(null)
    }
  }
  const action = (ch: TaskChannelDto) => {
    const off = ch.cap !== null && ch.left === 0
    const btn = (text: string, onClick: () => void) => (
      <View className={`btn btn-small ${off ? 'btn-plain is-disabled' : 'btn-primary'} jf-task-go ${busy === ch.channel ? 'is-busy' : ''}`} onClick={() => !off && onClick()}>
        {off ? '已完成' : text}
      </View>
    )
    switch (ch.channel) {
      case 'checkin':
        return btn('去签到', () => void run('checkin', async () => toast(`签到成功 +${(await checkIn()).points} 分`)))
      case 'bind_card':
        return btn('去绑定', () => setSheet({ kind: 'card' }))
      case 'share':
        return btn('去分享', () =>
          void run('share', async () => {
            await Taro.setClipboardData({ data: `积分会员:消费攒积分,积分换好礼。邀请码 ${c.invite.code}` }).catch(() => undefined)
            earned(await shared(), '分享成功')
          }),
        )
      default:
        return null
    }
  }
  const survey = sheet?.kind === 'survey' ? c.surveys.find((s) => s.id === sheet.id) : undefined
  const monthPct = c.monthly.cap > 0 ? Math.min(100, Math.floor((c.monthly.used * 100) / c.monthly.cap)) : 100
  return (
    <View className='page tasks'>
      <View className='card jf-task-month'>
        <View className='row-between'>
          <Text className='card-title'>本月任务积分</Text>
          <Text className='num'>
            <Text className='jf-task-month-used'>{formatPoints(c.monthly.used)}</Text> / {formatPoints(c.monthly.cap)}
          </Text>
        </View>
        <ProgressBar pct={monthPct} className='task-month-bar' />
        <Text className='muted block'>签到与任务积分每月最多 {formatPoints(c.monthly.cap)} 分,消费积分不受限</Text>
      </View>

      {c.channels.map((ch) => (
        <View key={ch.channel} className={`card task jf-task jf-task-${ch.channel} ${ch.cap !== null && ch.left === 0 ? 'is-done' : ''}`}>
          <View className='task-head'>
            <Icon name={ICONS[ch.channel]} className='task-icon' />
            <View className='grow'>
              <Text className='task-title block'>
                {ch.title} <Text className='task-points'>+{ch.points} 分</Text>
              </Text>
              <Text className='muted block jf-task-state'>
                {PERIOD[ch.period]} · {stateLabel(ch)}
              </Text>
            </View>
            {action(ch)}
          </View>
          {ch.channel === 'review' && c.reviewable.length > 0 ? (
            <View className='task-list'>
              {c.reviewable.map((o) => (
                <View key={`${o.storeId}:${o.orderNo}`} className='task-line jf-review-order'>
                  <Text className='grow'>
                    订单 {o.orderNo} · ¥{formatYuan(o.amountFen)} · {localTime(o.createdAt, tz, 'M月D日')}
                  </Text>
                  <View className={`btn btn-small btn-ghost jf-review-go ${busy === o.orderNo ? 'is-busy' : ''}`} onClick={() => setSheet({ kind: 'review', orderNo: o.orderNo, storeId: o.storeId })}>
                    评价
                  </View>
                </View>
              ))}
              <Text className='muted block'>也可在「明细」中展开消费记录进行评价</Text>
            </View>
          ) : null}
          {ch.channel === 'survey' ? (
            <View className='task-list'>
              {c.surveys.length === 0 ? <Text className='muted block'>暂无进行中的问卷</Text> : null}
              {c.surveys.map((s) => (
                <View key={s.id} className='task-line jf-survey'>
                  <Text className='grow'>{s.title}</Text>
                  {s.done ? (
                    <Text className='muted jf-survey-done'>已完成</Text>
                  ) : (
                    <View className='btn btn-small btn-ghost jf-survey-go' onClick={() => setSheet({ kind: 'survey', id: s.id })}>
                      去填写
                    </View>
                  )}
                </View>
              ))}
            </View>
          ) : null}
          {ch.channel === 'invite' ? <InviteCard invite={c.invite} /> : null}
        </View>
      ))}

      {sheet?.kind === 'card' ? <CardSheet onClose={() => setSheet(null)} onDone={() => { setSheet(null); reload() }} /> : null}
      {sheet?.kind === 'review' ? <ReviewSheet order={sheet} onClose={() => setSheet(null)} onDone={() => { setSheet(null); reload() }} /> : null}
      {survey ? <SurveySheet s={survey} onClose={() => setSheet(null)} onDone={() => { setSheet(null); reload() }} /> : null}
    </View>
  )
}
