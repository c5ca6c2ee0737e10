import { View, Text, Input } from '@tarojs/components'
import type { ReactNode } from 'react'
import { toHalfWidth } from '../../utils/input'
import { ScanButton } from './scan-button'

/**
 * One field of a till form (消费积分, 卡券核销, 兑换核销, 退款). Nothing typed is cut (maxlength -1): what is typed is
 * turned half-width (full-width digits from a Chinese IME become ASCII) before the page sees it, and what is still
 * wrong is said next to the field (`hint`, red) instead of being dropped.
 */
export interface TillFieldProps {
  label: string
  /** The field's own class, which the e2e tests address (jf-coupon-input, jf-order-input, …). */
  inputClass: string
  value: string
  /** Receives the half-width text; a page may normalise further (upper case, an amount's 。). */
  onInput: (text: string) => void
  placeholder: string
  /** Red border: the value is there but not valid. */
  invalid?: boolean
  /** Digits in the tabular font. */
  num?: boolean
  type?: 'text' | 'digit'
  /** The inline error under the field, with its class (jf-order-hint, …). */
  hint?: string | null
  hintClass?: string
  /** A grey line under the field when there is no error. */
  note?: string
  /** A 扫码 button beside the field (weapp only). */
  scan?: boolean
  onConfirm?: () => void
}

export function TillField(f: TillFieldProps) {
  const input = (
    <Input
      className={`field-input ${f.num ? 'num ' : ''}${f.inputClass} ${f.invalid ? 'is-invalid' : ''}`}
      type={f.type ?? 'text'}
      value={f.value}
      placeholder={f.placeholder}
      maxlength={-1}
      onInput={(e) => f.onInput(toHalfWidth(e.detail.value))}
      onConfirm={f.onConfirm}
    />
  )
  return (
    <View className='field'>
      <Text className='field-label'>{f.label}</Text>
      {f.scan ? (
        <View className='input-with-btn'>
          {input}
          <ScanButton onResult={(t) => f.onInput(toHalfWidth(t))} />
        </View>
      ) : (
        input
      )}
      {f.hint ? <Text className={`field-hint is-error ${f.hintClass ?? ''}`}>{f.hint}</Text> : f.note ? <Text className='field-hint'>{f.note}</Text> : null}
    </View>
  )
}

export interface TillFormProps {
  title: string
  fields: TillFieldProps[]
  /** Anything between the fields and the error (the purchase page's points panel and preview). */
  extra?: ReactNode
  error: string | null
  submit: { className: string; ready: boolean; busy: boolean; label: string; danger?: boolean; onClick: () => void }
  /** The right column: the result card once there is one. */
  result: ReactNode | null
  /** The right column before a result: 说明 lines. */
  notes: string[]
  notesTitle?: string
}

/** The till's two-column form: a card of fields, an error line and the submit button; the result or 说明 beside it. */
export function TillForm(p: TillFormProps) {
  const s = p.submit
  return (
    <View className='staff-columns'>
      <View className='staff-col'>
        <View className='card'>
          <Text className='staff-card-title'>{p.title}</Text>
          {p.fields.map((f) => (
            <TillField key={f.inputClass} {...f} />
          ))}
          {p.extra}
          {p.error ? <Text className='form-error jf-form-error'>{p.error}</Text> : null}
          <View className={`btn btn-block ${s.className} ${s.ready ? (s.danger ? 'btn-danger' : 'btn-primary') : 'is-disabled'} ${s.busy ? 'is-busy' : ''}`} onClick={s.onClick}>
            {s.label}
          </View>
        </View>
      </View>
      <View className='staff-col'>
        {p.result ?? (
          <View className='card'>
            <Text className='staff-card-title'>{p.notesTitle ?? '说明'}</Text>
            {p.notes.map((n) => (
              <Text key={n} className='muted block'>
                {n}
              </Text>
            ))}
          </View>
        )}
      </View>
    </View>
  )
}
