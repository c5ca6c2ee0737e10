import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { roleMay, type AdjustmentStatus } from '@jifen/shared'
import { approveAdjustment, listAdjustments, rejectAdjustment, type AdjustmentDto } from '../../services/members-admin'
import { getRules } from '../../services/rules'
import { staffProfile } from '../../services/session'
import { useResource } from '../../hooks/use-resource'
import { useShowRefresh } from '../../hooks/use-show-refresh'
import { EmptyState, ErrorState, LoadingState } from '../../components/state-view'
import { reportError, toast } from '../../utils/feedback'
import { formatDelta, localTime } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { ADJ_STATUS } from '../components/adjustment-status'
import '../components/backoffice.css'

const FILTERS: { key: AdjustmentStatus | 'all'; text: string }[] = [
  { key: 'pending', text: '待审批' },
  { key: 'applied', text: '已入账' },
  { key: 'rejected', text: '已驳回' },
  { key: 'all', text: '全部' },
]

function Row({ a, tz, canDecide, meId, onDone }: { a: AdjustmentDto; tz: string; canDecide: boolean; meId: number | null; onDone: () => void }) {
  const [busy, setBusy] = useState(false)
  const own = a.requestedBy.id === meId
  const decide = async (approve: boolean) => {
    const ok = await Taro.showModal({
      title: approve ? '通过并入账' : '驳回申请',
      content: `${a.memberNickname}:${formatDelta(a.points)} 分,原因「${a.reason}」。${approve ? '通过后立即入账。' : '驳回后不会入账。'}`,
      confirmText: approve ? '通过' : '驳回',
      confirmColor: approve ? '#e8541e' : '#d93026',
    })
    if (!ok.confirm) return
    setBusy(true)
    try {
      await (approve ? approveAdjustment(a.id) : rejectAdjustment(a.id))
      toast(approve ? '已通过,积分已入账' : '已驳回')
      onDone()
    } catch (e) {
      void reportError(e)
      onDone()
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className={`card jf-approval-row jf-approval-${a.id} is-${a.status}`}>
      <View className='bo-row bo-row-static'>
        <View className='bo-row-main'>
          <Text className='bo-row-title'>
            <Text className='link' onClick={() => void Taro.navigateTo({ url: `/staff/member/index?id=${a.memberId}` })}>
              {a.memberNickname}
            </Text>{' '}
            · {a.reason}
          </Text>
          <Text className='bo-row-sub'>
            {a.requestedBy.username} 于 {localTime(a.createdAt, tz)} 提交
            {a.decidedBy ? ` · ${a.decidedBy.username} 于 ${localTime(a.decidedAt!, tz)}${a.status === 'applied' ? '通过' : '驳回'}` : ''}
            {a.decisionNote ? `(${a.decisionNote})` : ''}
          </Text>
        </View>
        <Text className={`tag ${ADJ_STATUS[a.status].tag} jf-approval-status`}>{ADJ_STATUS[a.status].text}</Text>
        <Text className={`bo-row-num num ${a.points > 0 ? 'bo-plus' : 'bo-minus'}`}>{formatDelta(a.points)}</Text>
      </View>
      {a.status === 'pending' && canDecide ? (
        own ? (
          <Text className='muted block jf-approval-own'>这是你提交的申请,需由其他管理员审批</Text>
        ) : (
          <View className='bo-actions'>
            <View className={`btn btn-plain btn-small jf-approval-reject ${busy ? 'is-busy' : ''}`} onClick={() => !busy && void decide(false)}>
              驳回
            </View>
            <View className={`btn btn-primary btn-small jf-approval-approve ${busy ? 'is-busy' : ''}`} onClick={() => !busy && void decide(true)}>
              通过
            </View>
          </View>
        )
      ) : null}
    </View>
  )
}

/**
 * 调整审批: service adjustments above the configured size wait here. Admins approve (booked at once, exactly
 * once) or reject; nobody decides their own request. Service sees where their requests stand.
 */
function ApprovalsPageBody() {
  const [filter, setFilter] = useState<AdjustmentStatus | 'all'>('pending')
  const me = staffProfile()
  const canDecide = !!me && roleMay(me.role, 'POST', '/admin/adjustments/:id/approve')
  const r = useResource(async () => {
    const [list, rules] = await Promise.all([listAdjustments(filter === 'all' ? null : filter), getRules()])
    return { list, rules }
  }, [filter])
  useShowRefresh(() => r.reload(true))
  return (
    <>
      <View className='row-between'>
        <Text className='staff-card-title'>调整审批</Text>
      </View>
      <View className='chips bo-steps'>
        {FILTERS.map((f) => (
          <View key={f.key} className={`chip jf-approval-filter-${f.key} ${filter === f.key ? 'is-on' : ''}`} onClick={() => setFilter(f.key)}>
            {f.text}
          </View>
        ))}
      </View>
      {r.error && !r.data ? (
        <ErrorState error={r.error} onRetry={() => void r.reload()} />
      ) : !r.data ? (
        <LoadingState />
      ) : r.data.list.adjustments.length === 0 ? (
        <EmptyState title={filter === 'pending' ? '没有待审批的调整' : '没有记录'} hint={`客服单笔调整超过 ${r.data.rules.adjustments.approvalAbovePoints} 分时会出现在这里`} icon='✓' />
      ) : (
        r.data.list.adjustments.map((a) => <Row key={a.id} a={a} tz={r.data!.rules.timezone} canDecide={canDecide} meId={me?.id ?? null} onDone={() => void r.reload(true)} />)
      )}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function ApprovalsPage() {
  return (
    <StaffShell active='approvals'>
      <ApprovalsPageBody />
    </StaffShell>
  )
}
