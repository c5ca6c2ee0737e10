import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Sheet } from '../../components/sheet'
import { toast } from '../../utils/feedback'
import './admin-ui.css'

/**
 * Small pieces the back-office pages share: choice chips, a dialog (a bottom sheet on a phone, a centred box on
 * a desktop), a confirm step for changes that end someone's session, and the "shown once" password panel.
 */
export function Chips<T extends string | number>({
  options,
  value,
  onChange,
  cls = '',
  disabled = false,
}: {
  options: { value: T; label: string }[]
  value: T | null
  onChange: (v: T) => void
  cls?: string
  disabled?: boolean
}) {
  return (
    <View className={`chips ${cls}`}>
      {options.map((o) => (
        <View
          key={String(o.value)}
          className={`chip jf-chip-${String(o.value)} ${o.value === value ? 'is-on' : ''} ${disabled ? 'is-disabled' : ''}`}
          onClick={() => !disabled && onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  )
}

export function Dialog({ title, onClose, locked, children, cls = '' }: { title: string; onClose: () => void; locked?: boolean; children: ReactNode; cls?: string }) {
  return (
    <Sheet title={title} onClose={onClose} locked={locked} className={`admin-dialog ${cls}`}>
      {children}
    </Sheet>
  )
}

/** A yes/no step before a change; resolves true on the confirm button. */
export async function confirmAction(title: string, content: string, confirmText: string, danger = false): Promise<boolean> {
  const r = await Taro.showModal({ title, content, confirmText, cancelText: '取消', confirmColor: danger ? '#d93026' : '#e8541e' })
  return r.confirm
}

/**
 * A generated password, shown this once: the server keeps only its hash. Copy puts it on the clipboard; the
 * panel stays until the admin says it is noted.
 */
export function PasswordOnce({ username, password, intro, onDone }: { username: string; password: string; intro: string; onDone: () => void }) {
  const copy = () => {
    Taro.setClipboardData({ data: password })
      .then(() => toast('已复制'))
      .catch(() => toast('复制失败,请手动抄写'))
  }
  return (
    <View className='password-once jf-password-once'>
      <Text className='muted block'>{intro}</Text>
      <View className='password-box'>
        <Text className='password-user'>{username}</Text>
        <Text className='password-value num jf-new-password' userSelect>
          {password}
        </Text>
      </View>
      <Text className='password-warn'>密码只显示这一次,关闭后无法再查看。请当面交给本人,并提醒其妥善保管。</Text>
      <View className='row password-actions'>
        <View className='btn btn-plain grow jf-copy-password' onClick={copy}>
          复制密码
        </View>
        <View className='btn btn-primary grow jf-password-done' onClick={onDone}>
          我已记下
        </View>
      </View>
    </View>
  )
}

/** A page heading with an action on the right. */
export function PageHead({ title, sub, action }: { title: string; sub?: string; action?: ReactNode }) {
  return (
    <View className='row-between admin-head'>
      <View className='admin-head-text'>
        <Text className='admin-title'>{title}</Text>
        {sub ? <Text className='muted block admin-sub'>{sub}</Text> : null}
      </View>
      {action}
    </View>
  )
}
