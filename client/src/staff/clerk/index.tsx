import { View, Text } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { computePurchaseEarning, formatYuan, MEMBER_CODE_MAX, memberCodeSchema, ORDER_NO_MAX, orderNoSchema, type TillMemberResponse } from '@jifen/shared'
import { lookupMember, postPurchase, type PurchaseResponse } from '../../services/till'
import { getRules } from '../../services/rules'
import { ApiError, IdempotentAction } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, LoadingState } from '../../components/state-view'
import { handleActionError } from '../../utils/feedback'
import { formatDelta, formatPoints, localTime } from '../../utils/format'
import { AMOUNT_INPUT_TYPE, amountField, overLimit, toHalfWidth } from '../../utils/input'
import { StaffShell } from '../components/staff-shell'
import { TillForm } from '../components/till-form'
import { PointsPanel, planFor } from './points-panel'

/**
 * Post a purchase: member code (scanned or typed), order number, amount in yuan, and optionally points that pay part
 * of it (积分抵扣). Before posting, the member's spendable points, the amount left to pay, and a preview of the base
 * points on the cash part from the shared rule (tier, birthday month and campaigns are the server's); then the
 * server's own breakdown. An amount above the configured threshold takes a second tap that shows it in large type
 * (issue 8.9); nothing typed is cut: an over-long field says so, full-width digits are turned into ASCII.
 */
/** ¥ with thousands separators, for the large-amount check: 600000 -> "6,000.00" (a misplaced digit shows). */
function groupedYuan(fen: number): string {
  const [int, dec] = formatYuan(fen).split('.')
  return `${int!.replace(/\B(?=(\d{3})+$)/g, ',')}.${dec}`
}

function ClerkPageBody() {
  const rules = useResource(getRules)
  const action = useRef(new IdempotentAction())
  const [memberCode, setMemberCode] = useState('')
  const [orderNo, setOrderNo] = useState('')
  const [amountText, setAmountText] = useState('')
  const [pointsText, setPointsText] = useState('')
  const [member, setMember] = useState<TillMemberResponse | null>(null)
  const [lookupError, setLookupError] = useState<string | null>(null)
  const [confirmFen, setConfirmFen] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<PurchaseResponse | null>(null)

  const code = toHalfWidth(memberCode).trim()
  const order = toHalfWidth(orderNo).trim()
  const amount = amountField(amountText)
  const amountFen = amount.fen
  const codeTooLong = overLimit('会员码', code, MEMBER_CODE_MAX)
  const orderTooLong = overLimit('订单号', order, ORDER_NO_MAX)
  const codeOk = memberCodeSchema.safeParse(code).success
  const orderOk = orderNoSchema.safeParse(order).success

  // The member behind a well-formed code: spendable points before confirming (the code is not used up).
  useEffect(() => {
    setMember(null)
    setLookupError(null)
    if (!codeOk) return
    let live = true
    const timer = setTimeout(() => {
      lookupMember(code).then(
        (m) => live && setMember(m),
        (e) => live && setLookupError(e instanceof ApiError && e.code === 'CODE_INVALID' ? '会员码无效或已过期,请让会员刷新' : '暂时查不到会员积分'),
      )
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [code, codeOk])

  if (rules.error && !rules.data) {
    return (
      <>
        <ErrorState error={rules.error} onRetry={() => void rules.reload()} />
      </>
    )
  }
  if (!rules.data) {
    return (
      <>
        <LoadingState />
      </>
    )
  }
  const r = rules.data
  const plan = planFor(r, amountFen, pointsText, member)
  const ready = codeOk && orderOk && amountFen !== null && plan.pointsToUse !== null
  const large = amountFen !== null && amountFen > r.till.largeAmountConfirmFen
  const confirming = large && confirmFen === amountFen
  // Preview with the lowest tier and no campaign, on the cash part: exactly the base the server starts from.
  const cashFen = plan.cashFen ?? amountFen
  const preview = cashFen !== null ? computePurchaseEarning({ amountFen: cashFen, tier: r.tiers[0]!, birthdayMonth: false, campaign: null, rules: r }) : null
  const base = preview?.lines.find((l) => l.kind === 'BASE')

  const submit = async () => {
    if (busy) return
    if (!ready || amountFen === null || plan.pointsToUse === null) {
      setError(!codeOk ? '请扫描或输入有效的会员码' : !orderOk ? (orderTooLong ?? '订单号只能包含字母、数字、- 和 _') : amountFen === null ? (amount.hint ?? '请输入消费金额') : (plan.problem ?? '请核对抵扣积分'))
      return
    }
    if (large && !confirming) {
      setConfirmFen(amountFen) // first tap: show the amount large, ask for a second
      setError(null)
      return
    }
    const body = { memberCode: code, orderNo: order, amountFen, ...(plan.pointsToUse > 0 ? { pointsToUse: plan.pointsToUse } : {}), ...(large ? { confirmLargeAmount: true } : {}) }
    setBusy(true)
    setError(null)
    try {
      const out = await action.current.run(body, (key) => postPurchase(body, key))
      setResult(out)
      setConfirmFen(null)
    } catch (e) {
      handleActionError(e, setError, () => void submit())
      if (e instanceof ApiError && e.code === 'LARGE_AMOUNT_CONFIRM') setConfirmFen(amountFen)
    } finally {
      setBusy(false)
    }
  }

  const next = () => {
    setResult(null)
    setMemberCode('')
    setOrderNo('')
    setAmountText('')
    setPointsText('')
    setConfirmFen(null)
    setError(null)
  }

  return (
    <TillForm
      title='消费积分'
      fields={[
        {
          label: '会员码',
          inputClass: 'jf-member-code-input',
          scan: true,
          value: memberCode,
          placeholder: '扫描或输入会员出示的会员码',
          invalid: !!memberCode && !codeOk,
          hint: codeTooLong,
          hintClass: 'jf-code-hint',
          note: '会员码每 30 秒刷新,请在会员出示后尽快提交',
          onInput: setMemberCode,
        },
        {
          label: '订单号',
          inputClass: 'jf-order-input',
          value: orderNo,
          placeholder: '收银系统小票上的订单号',
          invalid: !!orderNo && !orderOk,
          hint: orderTooLong ?? (order && !orderOk ? '订单号只能包含字母、数字、- 和 _' : null),
          hintClass: 'jf-order-hint',
          onInput: setOrderNo,
        },
        {
          label: '消费金额(元)',
          inputClass: 'jf-amount-input',
          num: true,
          type: AMOUNT_INPUT_TYPE,
          value: amountText,
          placeholder: '例如 128.00',
          invalid: !!amount.hint,
          hint: amount.hint,
          hintClass: 'jf-amount-hint',
          onInput: (t) => {
            setAmountText(amountField(t).text)
            setConfirmFen(null)
          },
        },
      ]}
      extra={
        <>
          <PointsPanel rules={r} amountFen={amountFen} member={member} lookupError={lookupError} pointsText={pointsText} onPointsText={(t) => setPointsText(toHalfWidth(t))} plan={plan} />
          <View className='preview jf-preview'>
            <View className='row-between'>
              <Text>{base ? base.label : `消费 ${r.purchase.pointsPerYuan} 分/元`}</Text>
              <Text className='preview-num num jf-preview-points'>{base ? `+${formatPoints(base.points)}` : '—'}</Text>
            </View>
            <Text className='muted'>
              {cashFen !== null ? `现金 ¥${formatYuan(cashFen)} 的基础积分。` : ''}会员等级、生日月和活动加成由系统按会员情况计算,以提交结果为准。
            </Text>
          </View>
          {confirming && amountFen !== null ? (
            <View className='large-confirm jf-large-confirm'>
              <Text className='large-confirm-title'>金额较大,请与小票核对</Text>
              <Text className='large-confirm-amount num jf-large-amount'>¥{groupedYuan(amountFen)}</Text>
              <Text className='muted'>超过 ¥{formatYuan(r.till.largeAmountConfirmFen)},需再次点击确认;金额有误请直接修改。</Text>
            </View>
          ) : null}
        </>
      }
      error={error}
      submit={{
        className: 'jf-purchase-submit',
        ready,
        danger: confirming,
        busy,
        label: busy ? '提交中…' : amountFen === null ? '确认积分' : confirming ? `再次点击确认 · ¥${formatYuan(amountFen)}` : `确认积分 · ¥${formatYuan(amountFen)}`,
        onClick: () => void submit(),
      }}
      result={
        result ? (
          <View className='card result-card jf-purchase-result'>
            <Text className='muted'>已为会员积分</Text>
            <Text className='result-big num jf-points-awarded'>{formatDelta(result.pointsAwarded)}</Text>
            <Text className='result-sub jf-result-order'>
              订单 {result.orderNo} · ¥{formatYuan(result.amountFen)}
            </Text>
            {result.pointsUsed > 0 ? (
              <View className='kv jf-result-points-used'>
                <Text className='kv-key'>积分抵扣 {formatPoints(result.pointsUsed)} 积分</Text>
                <Text className='kv-value num'>-¥{formatYuan(result.pointsFen)}</Text>
              </View>
            ) : null}
            {result.pointsUsed > 0 ? (
              <View className='kv'>
                <Text className='kv-key'>现金支付</Text>
                <Text className='kv-value num jf-result-cash'>¥{formatYuan(result.cashFen)}</Text>
              </View>
            ) : null}
            {result.breakdown.map((l, i) => (
              <View key={i} className='kv jf-breakdown-line'>
                <Text className='kv-key'>{l.label}</Text>
                <Text className='kv-value num'>{formatDelta(l.points)}</Text>
              </View>
            ))}
            <View className='kv kv-total'>
              <Text className='kv-key'>会员积分余额</Text>
              <Text className='kv-value num jf-member-balance'>{formatPoints(result.balance)}</Text>
            </View>
            {result.pendingUntil ? (
              <Text className='muted'>积分将于 {localTime(result.pendingUntil, r.timezone, 'M月D日 HH:mm')} 生效(退货期内待生效)</Text>
            ) : null}
            <View className='btn btn-plain btn-block jf-next-order' onClick={next}>
              下一单
            </View>
          </View>
        ) : null
      }
      notesTitle='操作说明'
      notes={[
        '1. 请会员打开小程序「会员码」,扫码或输入码下方的字符。',
        '2. 输入收银小票上的订单号和实付金额;会员想用积分抵扣时填入积分,下方显示还需支付的金额。',
        '3. 提交后这里显示系统计算的积分明细。同一订单号重复提交不会重复积分。',
      ]}
    />
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function ClerkPage() {
  return (
    <StaffShell active='clerk'>
      <ClerkPageBody />
    </StaffShell>
  )
}
