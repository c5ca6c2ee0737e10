import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { addDays, localDay, startOfLocalDay, surveyCreateRequest, type RulesConfig } from '@jifen/shared'
import { createSurvey, listSurveys, type SurveyDto } from '../../services/surveys'
import { getRules } from '../../services/rules'
import { useResource } from '../../hooks/use-resource'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError, toast } from '../../utils/feedback'
import { localTime } from '../../utils/format'
import { pointsField, toHalfWidth } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { PageHead } from '../components/admin-ui'
import '../components/backoffice.css'

async function load() {
  const [surveys, rules] = await Promise.all([listSurveys(), getRules()])
  return { surveys, rules }
}

/**
 * One question a line; a choice question lists its options after a |, separated by /:
 * "您对本次服务满意吗? | 满意 / 一般 / 不满意".
 */
export function parseQuestions(text: string): { text: string; options?: string[] }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [q, opts] = l.split('|')
      const options = opts
        ?.split('/')
        .map((o) => o.trim())
        .filter((o) => o !== '')
      return options && options.length > 0 ? { text: q!.trim(), options } : { text: q!.trim() }
    })
}

function SurveyForm({ rules, onCreated }: { rules: RulesConfig; onCreated: (s: SurveyDto) => void }) {
  const today = localDay(new Date(), rules.timezone)
  const [title, setTitle] = useState('')
  const [pointsText, setPointsText] = useState(String(rules.tasks.survey))
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(localDay(addDays(new Date(), 30), rules.timezone))
  const [questions, setQuestions] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const points = pointsField(pointsText)
  const dayOk = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d)

  const submit = async () => {
    if (busy) return
    if (!dayOk(from) || !dayOk(to)) return setError('日期格式:YYYY-MM-DD')
    const body = {
      title: title.trim(),
      questions: parseQuestions(questions),
      points: points.points ?? -1,
      startsAt: startOfLocalDay(from, rules.timezone).toISOString(),
      endsAt: addDays(startOfLocalDay(to, rules.timezone), 1).toISOString(), // the last day is included
    }
    const check = surveyCreateRequest.safeParse(body)
    if (!check.success) {
      const issue = check.error.issues[0]!
      const where = String(issue.path[0] ?? '')
      return setError(
        where === 'title' ? '请填写问卷标题(最多 100 字)' : where === 'questions' ? '请填写 1–20 个问题;选项题每题 2–8 个选项' : where === 'points' ? '积分为 0–1000 的整数' : '结束日期须不早于开始日期',
      )
    }
    setBusy(true)
    setError(null)
    try {
      onCreated(await createSurvey(body))
      setTitle('') // the questions stay, to start the next survey from them
      toast('问卷已发布')
    } catch (e) {
      handleActionError(e, setError, () => void submit())
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='card jf-survey-form'>
      <Text className='staff-card-title'>发布问卷</Text>
      <View className='field'>
        <Text className='field-label'>标题</Text>
        <Input className='field-input jf-survey-title' value={title} placeholder='例如 门店服务满意度' maxlength={-1} onInput={(e) => setTitle(e.detail.value)} />
      </View>
      <View className='field'>
        <Text className='field-label'>问题(每行一题;选项题在 | 后列出选项,用 / 分隔)</Text>
        <Textarea
          className='bo-textarea jf-survey-questions'
          value={questions}
          maxlength={-1}
          placeholder={'您对本次服务满意吗? | 满意 / 一般 / 不满意\n还有什么建议?'}
          onInput={(e) => setQuestions(e.detail.value)}
        />
      </View>
      <View className='row-between survey-row'>
        <View className='field'>
          <Text className='field-label'>奖励积分</Text>
          <Input className={`field-input num jf-survey-points ${points.hint ? 'is-invalid' : ''}`} value={pointsText} maxlength={-1} onInput={(e) => setPointsText(toHalfWidth(e.detail.value))} />
        </View>
        <View className='field'>
          <Text className='field-label'>开始日期</Text>
          <Input className='field-input num jf-survey-from' value={from} maxlength={-1} onInput={(e) => setFrom(toHalfWidth(e.detail.value).trim())} />
        </View>
        <View className='field'>
          <Text className='field-label'>结束日期(含)</Text>
          <Input className='field-input num jf-survey-to' value={to} maxlength={-1} onInput={(e) => setTo(toHalfWidth(e.detail.value).trim())} />
        </View>
      </View>
      <Text className='field-hint'>只有这里发布的问卷能获得积分;每位会员每份问卷一次,答案会保存。问卷发布后不可修改。</Text>
      {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
      <View className={`btn btn-block btn-primary jf-survey-submit ${busy ? 'is-busy' : ''}`} onClick={() => void submit()}>
        {busy ? '发布中…' : '发布问卷'}
      </View>
    </View>
  )
}

/** Surveys (issue 8.5): marketing publishes them here; the list shows each one's window and responses. */
export default function SurveysPage() {
  const res = useResource(load)
  const [created, setCreated] = useState<SurveyDto[]>([])
  if (res.error && !res.data) {
    return (
      <StaffShell active='surveys'>
        <ErrorState error={res.error} onRetry={() => void res.reload()} />
      </StaffShell>
    )
  }
  if (!res.data) {
    return (
      <StaffShell active='surveys'>
        <LoadingState />
      </StaffShell>
    )
  }
  const { rules } = res.data
  const seen = new Set(created.map((s) => s.id))
  const surveys = [...created, ...res.data.surveys.filter((s) => !seen.has(s.id))]
  const now = Date.now()
  return (
    <StaffShell active='surveys'>
      <PageHead title='问卷' sub='会员完成问卷获得积分(计入每月非消费积分上限)' />
      <View className='staff-columns'>
        <View className='staff-col'>
          <SurveyForm rules={rules} onCreated={(s) => setCreated((c) => [s, ...c])} />
        </View>
        <View className='staff-col'>
          {surveys.length === 0 ? (
            <EmptyState title='还没有问卷' />
          ) : (
            surveys.map((s) => {
              const state = now < Date.parse(s.startsAt) ? '未开始' : now >= Date.parse(s.endsAt) ? '已结束' : '进行中'
              return (
                <View key={s.id} className='card jf-survey-item'>
                  <View className='row-between'>
                    <Text className='staff-card-title jf-survey-item-title'>{s.title}</Text>
                    <Text className='muted'>{state}</Text>
                  </View>
                  <Text className='muted block'>
                    {localTime(s.startsAt, rules.timezone, 'YYYY-MM-DD')} 至 {localTime(new Date(Date.parse(s.endsAt) - 1).toISOString(), rules.timezone, 'YYYY-MM-DD')} · {s.points} 积分 · {s.questions.length} 题 ·{' '}
                    <Text className='jf-survey-responses'>{s.responses}</Text> 份回答
                  </Text>
                  {s.questions.map((q, i) => (
                    <Text key={i} className='muted block'>
                      {i + 1}. {q.text}
                      {q.options ? `(${q.options.join(' / ')})` : ''}
                    </Text>
                  ))}
                </View>
              )
            })
          )}
        </View>
      </View>
    </StaffShell>
  )
}
