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
