import { parseYuanToFen } from './money'

/**
 * Form input that is never cut silently (issue 8.9): fields take what is typed or pasted, full-width characters
 * (typed with a Chinese IME: １２８．００, Ａ－１) are turned into their ASCII forms, and what is still wrong is
 * said next to the field instead of being dropped.
 */

/** Full-width ASCII (U+FF01-FF5E) and the ideographic space to their half-width forms; 。 stays (a full stop). */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
}

/** An amount field as typed: half-width, 。 as the decimal point; the fen, or the hint to show. */
export function amountField(text: string): { text: string; fen: number | null; hint: string | null } {
  const normalised = toHalfWidth(text).replace(/。/g, '.')
  const trimmed = normalised.trim()
  if (trimmed === '') return { text: normalised, fen: null, hint: null }
  if (/[^0-9.]/.test(trimmed)) return { text: normalised, fen: null, hint: '金额只能输入数字和小数点(不能有字母或符号)' }
  const fen = parseYuanToFen(trimmed)
  return { text: normalised, fen, hint: fen === null ? '金额格式:最多两位小数,大于 0,不超过 1,000,000 元' : null }
}

/** A whole number of points as typed (half-width); null when empty, NaN-free. */
export function pointsField(text: string): { text: string; points: number | null; hint: string | null } {
  const normalised = toHalfWidth(text).trim()
  if (normalised === '') return { text: normalised, points: null, hint: null }
  if (!/^\d{1,9}$/.test(normalised)) return { text: normalised, points: null, hint: '积分只能输入整数' }
  return { text: normalised, points: Number(normalised), hint: null }
}

/** The inline error for a text over its limit (the field keeps all of it, so the clerk sees what went wrong). */
export function overLimit(label: string, text: string, max: number): string | null {
  const n = [...text.trim()].length
  return n > max ? `${label}最多 ${max} 位,当前 ${n} 位,请核对` : null
}

/**
 * The keyboard for amount fields: WeChat's digit keyboard cannot type letters, so nothing is dropped there; in H5,
 * Taro's 'digit' input silently swallows letters and full-width digits (beforeinput), so a text field is used and
 * amountField() says what is wrong.
 */
export const AMOUNT_INPUT_TYPE: 'digit' | 'text' = process.env.TARO_ENV === 'weapp' ? 'digit' : 'text'
