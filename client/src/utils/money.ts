/**
 * Yuan typed by a clerk -> integer fen, by string parsing (never parseFloat: 0.1 + 0.2 problems stay out of money).
 * Accepts "128", "128.5", "128.50", "0.01"; rejects signs, exponents, more than 2 decimals, or more than
 * 1,000,000 yuan. Returns null when the text is not an amount.
 */
export const AMOUNT_YUAN_MAX = 1_000_000

export function parseYuanToFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(text.trim())
  if (!m) return null
  const yuan = Number(m[1])
  const cents = Number((m[2] ?? '').padEnd(2, '0'))
  const fen = yuan * 100 + cents
  if (fen <= 0 || fen > AMOUNT_YUAN_MAX * 100) return null
  return fen
}

/** Fen as a short yuan amount: 2200 -> "22", 150 -> "1.50" (integer arithmetic). */
export function yuanShort(fen: number): string {
  if (fen % 100 === 0) return String(fen / 100)
  const yuan = Math.floor(fen / 100)
  const cents = fen % 100
  return `${yuan}.${cents < 10 ? '0' : ''}${cents}`
}

/** What a reward is worth to the member, as the shelf says it: "价值 ¥22". */
export function faceValueLabel(fen: number): string {
  return `价值 ¥${yuanShort(fen)}`
}
