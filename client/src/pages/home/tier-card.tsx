import { View, Text } from '@tarojs/components'
import { pctLabel, type RulesConfig } from '@jifen/shared'
import type { MeResponse } from '../../services/me'
import { ProgressBar } from '../../components/progress-bar'
import { formatPoints, localTime } from '../../utils/format'

/**
 * 首页's tier card: the stored tier, progress to the next one over the rolling window, and 保级 (issue 11.4):
 * inside the warn window the line "再得 N 分保级…" with the review date, else the review date and the year's points.
 */
export function Tier({ me, rules }: { me: MeResponse; rules: RulesConfig }) {
  const t = me.tier
  const current = rules.tiers.find((x) => x.code === t.code)
  return (
    <View className={`card tier-card jf-tier tier-${t.code}`}>
      <View className='row-between'>
        <Text className='card-title'>{t.name}会员</Text>
        <Text className='muted'>近 {rules.tierWindowMonths} 个月累计 {formatPoints(t.qualifyingPoints)} 分</Text>
      </View>
      <ProgressBar pct={t.progressPct} className='tier-progress jf-tier-progress' />
      {t.next && t.pointsToNext !== null ? (
        <Text className='tier-next jf-tier-next'>
          再得 <Text className='num tier-next-num'>{formatPoints(t.pointsToNext)}</Text> 分升级{t.next.name}会员
        </Text>
      ) : (
        <Text className='tier-next jf-tier-next'>已是最高等级</Text>
      )}
      {current ? <Text className='muted block'>当前等级消费积分 {pctLabel(current.multiplierPct)} 倍</Text> : null}
      {t.atRisk ? (
        // 保级 (issue 11.4): inside the warn window, what keeps the tier at its anniversary.
        <View className='tier-risk jf-tier-risk'>
          <Text className='tier-risk-text'>
            再得 <Text className='num'>{formatPoints(t.atRisk.pointsNeeded)}</Text> 分保级{t.name}
          </Text>
          <Text className='tier-risk-days'>{t.reviewAt ? `${localTime(t.reviewAt, rules.timezone, 'M月D日')}复核,` : ''}还剩 {t.atRisk.daysLeft} 天</Text>
        </View>
      ) : t.reviewAt ? (
        <Text className='muted block jf-tier-review'>
          保级复核 {localTime(t.reviewAt, rules.timezone, 'YYYY年M月D日')} · 本期累计 {formatPoints(t.yearPoints)}
          {current ? `/${formatPoints(current.minPoints)}` : ''} 分
        </Text>
      ) : null}
    </View>
  )
}
