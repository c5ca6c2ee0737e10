import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { RulesConfig } from '@jifen/shared'
import { askSubscribe, reportSubscriptions } from '../../services/subscriptions'
import { IdempotentAction } from '../../services/request'
import { reportError, toast } from '../../utils/feedback'

/** WeChat shows at most 3 templates per request. */
const TEMPLATES_PER_ASK_MAX = 3

/**
 * 微信消息提醒: one-time subscribe messages need the member's consent per message, asked right in a tap
 * (wx.requestSubscribeMessage may only be called from one); what they answered is reported to the server,
 * which spends one consent per message. The mini-program only: the H5 build has no subscribe messages.
 */
export function SubscribeRow({ rules }: { rules: RulesConfig }) {
  const [busy, setBusy] = useState(false)
  const action = useRef(new IdempotentAction())
  if (process.env.TARO_ENV !== 'weapp' || rules.subscribe.templates.length === 0) return null
  const tmplIds = rules.subscribe.templates.slice(0, TEMPLATES_PER_ASK_MAX).map((t) => t.id)

  const ask = () => {
    if (busy) return
    setBusy(true)
    // Called synchronously in the tap handler: WeChat refuses the request otherwise.
    askSubscribe(tmplIds)
      .then(async (results) => {
        if (Object.keys(results).length === 0) return
        await action.current.run({ results }, (key) => reportSubscriptions(results, key))
        toast(Object.values(results).includes('accept') ? '已开启提醒' : '未开启提醒')
      })
      .catch((e) => void reportError(e, ask))
      .finally(() => setBusy(false))
  }

  return (
    <View className='menu-item jf-menu-subscribe' onClick={ask}>
      <Text className='grow'>微信消息提醒</Text>
      <Text className='menu-value link'>{busy ? '请稍候…' : '开启'}</Text>
      <Text className='menu-arrow'>›</Text>
    </View>
  )
}
