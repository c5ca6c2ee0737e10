import Taro from '@tarojs/taro'
import { View, Text, ScrollView } from '@tarojs/components'
import { useState } from 'react'
import { pctLabel, type RulesConfig } from '@jifen/shared'
import { acceptAgreement, getAgreement, type AgreementResponse } from '../../services/agreement'
import { getRules } from '../../services/rules'
import { ApiError } from '../../services/request'
import { useResource } from '../../hooks/use-resource'
import { ErrorState, Skeleton } from '../../components/state-view'
import { Icon, type IconName } from '../../components/icon'
import { formatPoints } from '../../utils/format'
import { reportError, toast } from '../../utils/feedback'
import './index.css'

async function load(): Promise<{ doc: AgreementResponse; rules: RulesConfig }> {
  const [doc, rules] = await Promise.all([getAgreement(), getRules()])
  return { doc, rules }
}

function goHome() {
  void Taro.switchTab({ url: '/pages/home/index' })
}

/** What membership gives, from the rules the server runs (so the screen never promises another number). */
function Benefits({ doc, rules }: { doc: AgreementResponse; rules: RulesConfig }) {
  const top = rules.tiers[rules.tiers.length - 1]!
  const items = [
    doc.welcomeGiftPoints > 0 ? { icon: 'gift' as const, title: `新会员礼 ${formatPoints(doc.welcomeGiftPoints)} 分`, sub: '同意协议后立即到账' } : null,
    { icon: 'bag', title: `消费 1 元得 ${rules.purchase.pointsPerYuan} 分`, sub: `${top.name}会员 ${pctLabel(top.multiplierPct)} 倍积分` },
    { icon: 'calendar', title: `每日签到 +${rules.checkin.points} 分`, sub: `连续 ${rules.checkin.bonusEveryDays} 天再得 ${rules.checkin.bonusPoints} 分` },
    { icon: 'tasks', title: '做任务赚积分', sub: `评价订单 ${rules.tasks.review} 分 · 绑卡 ${rules.tasks.bindCard} 分 · 邀请好友 ${rules.tasks.inviteInviter} 分` },
    { icon: 'cup', title: `${rules.anchor.points} 积分 = ${rules.anchor.fen / 100} 元`, sub: '兑换好礼或到店抵扣' },
  ].filter((x): x is { icon: IconName; title: string; sub: string } => x !== null)
  return (
    <View className='card welcome-benefits'>
      {items.map((b) => (
        <View key={b.title} className='welcome-benefit jf-welcome-benefit'>
          <Icon name={b.icon} className='welcome-benefit-icon' />
          <View className='grow'>
            <Text className='welcome-benefit-title block'>{b.title}</Text>
            <Text className='muted block'>{b.sub}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}

function Document({ title, version, body, cls }: { title: string; version: number; body: string; cls: string }) {
  return (
    <View className={`card welcome-doc ${cls}`}>
      <View className='row-between'>
        <Text className='card-title'>{title}</Text>
        <Text className='muted'>第 {version} 版</Text>
      </View>
      <ScrollView scrollY className='welcome-doc-body'>
        <Text className='welcome-doc-text'>{body}</Text>
      </ScrollView>
    </View>
  )
}

/**
 * A member's first open (and after a new version of the agreement): what they get, the points agreement and
 * the privacy notice, and one button. Nothing earns or spends before this (the server answers
 * AGREEMENT_REQUIRED and request() brings the member here).
 */
export default function WelcomePage() {
  const r = useResource(load)
  const [agreed, setAgreed] = useState(false)
  const [busy, setBusy] = useState(false)
  if (r.error && !r.data) return <View className='page'><ErrorState error={r.error} onRetry={() => void r.reload()} /></View>
  if (!r.data) return <View className='page'><Skeleton heights={[300, 400, 200]} /></View>
  const { doc, rules } = r.data
  const updated = doc.acceptedVersion !== null
  const accept = async () => {
    if (busy) return
    if (!agreed) {
      toast('请先勾选同意协议')
      return
    }
    setBusy(true)
    try {
      const out = await acceptAgreement(doc.version, doc.privacy.version)
      toast(out.giftPoints > 0 ? `欢迎加入!新会员礼 +${out.giftPoints} 分` : '已同意,欢迎回来')
      goHome()
    } catch (e) {
      // The text changed while the member read it: show the new one.
      if (e instanceof ApiError && e.code === 'AGREEMENT_OUTDATED') {
        setAgreed(false)
        await r.reload()
      }
      void reportError(e, () => void accept())
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='page welcome'>
      <View className='welcome-hero'>
        <Text className='welcome-hello block jf-welcome-title'>{updated ? '会员协议已更新' : '欢迎加入积分会员'}</Text>
        <Text className='welcome-sub block'>{updated ? '请阅读更新后的协议,同意后继续赚积分、用积分' : '同意协议即可开始赚积分、用积分'}</Text>
      </View>
      {updated ? null : <Benefits doc={doc} rules={rules} />}
      <Document title={doc.title} version={doc.version} body={doc.body} cls='jf-welcome-terms' />
      <Document title={doc.privacy.title} version={doc.privacy.version} body={doc.privacy.body} cls='jf-welcome-privacy' />
      <View className={`welcome-agree jf-welcome-agree ${agreed ? 'is-on' : ''}`} onClick={() => setAgreed(!agreed)}>
        <View className='welcome-box'>{agreed ? <View className='check' /> : null}</View>
        <Text>
          我已阅读并同意《{doc.title}》和《{doc.privacy.title}》
        </Text>
      </View>
      <View className={`btn btn-block btn-primary jf-welcome-accept ${agreed ? '' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => void accept()}>
        {busy ? '提交中…' : doc.welcomeGiftPoints > 0 ? `同意并领取 ${formatPoints(doc.welcomeGiftPoints)} 分` : '同意并继续'}
      </View>
    </View>
  )
}
