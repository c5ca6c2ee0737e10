import { View, Text } from '@tarojs/components'
import { streakStrip, type RulesConfig } from '@jifen/shared'
import './streak-strip.css'

/**
 * The check-in cycle (7 days by default) from the shared rule: days done, today, and the bonus day's points
 * visible before they are earned.
 */
export function StreakStrip({ streak, checkedInToday, rules }: { streak: number; checkedInToday: boolean; rules: Pick<RulesConfig, 'checkin'> }) {
  const days = streakStrip(streak, checkedInToday, rules)
  return (
    <View className='streak jf-streak'>
      {days.map((d) => (
        <View
          key={d.position}
          className={`streak-day jf-streak-day ${d.done ? 'is-done' : ''} ${d.today ? 'is-today' : ''} ${d.bonus ? 'is-bonus jf-streak-bonus' : ''}`}
        >
          <View className='streak-dot'>
            {d.done ? <View className='check' /> : <Text className='streak-points num'>+{d.points}</Text>}
          </View>
          <Text className='streak-label'>{d.today ? '今天' : d.bonus ? '惊喜' : `第${d.position}天`}</Text>
        </View>
      ))}
    </View>
  )
}
