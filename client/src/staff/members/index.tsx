import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { MEMBER_QUERY_MAX } from '@jifen/shared'
import { searchMembers, type MemberSummaryDto } from '../../services/members-admin'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError } from '../../utils/feedback'
import { formatPoints } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import '../components/backoffice.css'
import { LimitHint } from '../../components/limit-hint'

const MATCH: Record<MemberSummaryDto['match'], string> = { phone: '手机号', id: '会员号', openid: 'openid', nickname: '昵称', recent: '' }

interface Results {
  q: string
  members: MemberSummaryDto[]
  nextCursor: number | null
}

/**
 * 会员查询: one box for a phone, a member number, an openid or the start of a nickname (the server tells which
 * each hit matched). Without a query it lists the newest members. Phones are masked except for admin.
 */
function MembersPageBody() {
  const [q, setQ] = useState('')
  const [results, setResults] = useState<Results | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const seq = useRef(0)

  const run = async (query: string, more = false) => {
    const mine = ++seq.current
    setBusy(true)
    try {
      const page = await searchMembers(query, more && results ? results.nextCursor : null)
      if (mine !== seq.current) return
      setResults({ q: query, members: more && results ? [...results.members, ...page.members] : page.members, nextCursor: page.nextCursor })
      setError(null)
    } catch (e) {
      if (mine !== seq.current) return
      if (results) void reportError(e)
      else setError(e)
    } finally {
      if (mine === seq.current) setBusy(false)
    }
  }

  useEffect(() => {
    void run('')
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const open = (m: MemberSummaryDto) => void Taro.navigateTo({ url: `/staff/member/index?id=${m.id}` })

  let content
  if (error && !results) content = <ErrorState error={error} onRetry={() => void run(q)} />
  else if (!results) content = <LoadingState />
  else if (results.members.length === 0) content = <EmptyState title='没有找到会员' hint={`试试完整的 11 位手机号、会员号或昵称开头的几个字`} icon='?' />
  else {
    content = (
      <View className='card jf-member-results'>
        <Text className='muted block'>{results.q ? `「${results.q}」的查询结果` : '最新注册的会员'}</Text>
        {results.members.map((m) => (
          <View key={m.id} className={`bo-row jf-member-row jf-member-row-${m.id}`} onClick={() => open(m)}>
            <View className='bo-row-main'>
              <Text className='bo-row-title jf-member-nickname'>{m.nickname}</Text>
              <Text className='bo-row-sub'>
                会员号 <Text className='num'>{m.number}</Text> · 手机 <Text className='num jf-member-phone'>{m.phone ?? '未绑定'}</Text>
              </Text>
            </View>
            {MATCH[m.match] ? <Text className='tag tag-info'>{MATCH[m.match]}</Text> : null}
            <View>
              <Text className='bo-row-num num block'>{formatPoints(m.balance)}</Text>
              <Text className='muted block'>积分</Text>
            </View>
          </View>
        ))}
        {results.nextCursor ? (
          <View className={`btn btn-plain btn-block bo-more jf-members-more ${busy ? 'is-busy' : ''}`} onClick={() => !busy && void run(results.q, true)}>
            {busy ? '加载中…' : '加载更多'}
          </View>
        ) : null}
      </View>
    )
  }

  return (
    <>
      <Text className='staff-card-title'>会员查询</Text>
      <View className='bo-search'>
        <Input
          className='field-input jf-member-search-input'
          value={q}
          placeholder='手机号 / 会员号 / 昵称 / openid'
          maxlength={-1}
          confirmType='search'
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => void run(q)}
        />
        <View className={`btn btn-primary btn-small jf-member-search-btn ${busy ? 'is-busy' : ''}`} onClick={() => void run(q)}>
          搜索
        </View>
      </View>
      <LimitHint label='查询内容' text={q} max={MEMBER_QUERY_MAX} />
      {content}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function MembersPage() {
  return (
    <StaffShell active='members'>
      <MembersPageBody />
    </StaffShell>
  )
}
