import { formatLocal, lastUsableDay } from '@jifen/shared'

/** 6615 -> "6,615": grouped digits so large balances read at a glance. */
export function formatPoints(points: number): string {
  const sign = points < 0 ? '-' : ''
  return sign + String(Math.abs(points)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** +30 / -30 for ledger deltas. */
export function formatDelta(delta: number): string {
  return `${delta > 0 ? '+' : ''}${formatPoints(delta)}`
}

/** An ISO instant in the rules' time zone: 'YYYY-MM-DD HH:mm' by default. */
export function localTime(iso: string, tz: string, pattern = 'YYYY-MM-DD HH:mm'): string {
  return formatLocal(new Date(iso), tz, pattern)
}

/** "12月31日": the last day points expiring at `expiresAt` (exclusive) can still be used. */
export function lastDayLabel(expiresAtIso: string, tz: string): string {
  const [, m, d] = lastUsableDay(new Date(expiresAtIso), tz).split('-')
  return `${Number(m)}月${Number(d)}日`
}

/** '2026-11' -> '2026年11月' */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-')
  return `${y}年${Number(m)}月`
}
