import { Text } from '@tarojs/components'

/** The inline error for a text over its limit, counted in characters as the server's schema counts them. */
export function textOverLimit(label: string, text: string, max: number): string | null {
  const n = [...text.trim()].length
  return n > max ? `${label}最多 ${max} 字,当前 ${n} 字,请删减` : null
}

/**
 * The length limit of a text field, said next to it and never enforced by cutting (issue 8.9): the field keeps
 * everything typed or pasted, and this line says how much is over. Forms also refuse to submit while it shows
 * (tooLong below), and the server answers 400 with the same limit from the shared schema.
 */
export function LimitHint(props: { label: string; text: string; max: number }) {
  const msg = textOverLimit(props.label, props.text, props.max)
  return msg ? <Text className='field-hint is-error jf-limit-hint'>{msg}</Text> : null
}

/** The first over-limit message of a form's fields, or null: [label, text, max] per field. */
export function tooLong(fields: Array<[string, string, number]>): string | null {
  for (const [label, text, max] of fields) {
    const msg = textOverLimit(label, text, max)
    if (msg) return msg
  }
  return null
}
