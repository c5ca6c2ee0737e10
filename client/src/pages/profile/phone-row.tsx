import { View, Text, Button, Input } from '@tarojs/components'
import { useState } from 'react'
import { isCnMobile } from '@jifen/shared'
import { bindPhone } from '../../services/me'
import { Sheet } from '../../components/sheet'
import { handleActionError, reportError, toast } from '../../utils/feedback'

/**
 * 绑定手机号. On weapp a getPhoneNumber button: WeChat asks the member, and its one-time code goes to the
 * server, which exchanges it for the number (the number itself never passes through the page). On H5 (a
 * browser against a dev server) a plain input sends dev:<phone>. Shown masked once bound.
 */
export function PhoneRow({ phone, onBound }: { phone: string | null; onBound: () => void }) {
  const [open, setOpen] = useState(false)
  const [value, setValue] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const send = async (code: string, fromSheet: boolean) => {
    setBusy(true)
    setError(null)
    try {
      await bindPhone(code)
      toast('手机号已绑定')
      setOpen(false)
      setValue('')
      onBound()
    } catch (e) {
      if (fromSheet) handleActionError(e, setError, () => void send(code, true))
      else void reportError(e)
    } finally {
      setBusy(false)
    }
  }

  const label = (
    <>
      <Text className='grow'>手机号</Text>
      <Text className={`menu-value jf-phone-value ${phone ? '' : 'link'}`}>{busy ? '绑定中…' : phone ?? '绑定手机号'}</Text>
      {phone ? <Text className='tag'>已绑定</Text> : <Text className='menu-arrow'>›</Text>}
    </>
  )

  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button
        className='menu-item jf-phone menu-button'
        openType='getPhoneNumber'
        disabled={busy}
        onGetPhoneNumber={(e) => {
          const code = e.detail.code
          if (code) void send(code, false)
          else if (!/deny|cancel/.test(e.detail.errMsg ?? '')) toast('未能获取手机号,请稍后重试')
        }}
      >
        {label}
      </Button>
    )
  }

  const ok = isCnMobile(value.trim())
  return (
    <>
      <View className='menu-item jf-phone jf-phone-open' onClick={() => setOpen(true)}>
        {label}
      </View>
      {open ? (
        <Sheet title={phone ? '更换手机号' : '绑定手机号'} onClose={() => setOpen(false)} locked={busy} className='jf-phone-sheet'>
          <View className='field'>
            <Text className='field-label'>手机号</Text>
            <Input className='field-input num jf-phone-input' type='number' maxlength={-1} value={value} placeholder='11 位手机号' onInput={(e) => setValue(e.detail.value)} />
            <Text className='field-hint'>浏览器开发版直接填写;小程序里由微信授权获取</Text>
          </View>
          {error ? <Text className='form-error jf-form-error'>{error}</Text> : null}
          <View className={`btn btn-block jf-phone-submit ${ok ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => ok && !busy && void send(`dev:${value.trim()}`, true)}>
            {busy ? '绑定中…' : '绑定'}
          </View>
        </Sheet>
      ) : null}
    </>
  )
}
