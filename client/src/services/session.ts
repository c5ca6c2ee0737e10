import Taro from '@tarojs/taro'
import type { MemberProfile, StaffProfile } from '@jifen/shared'

/**
 * Who is signed in. A member token and a staff token are kept apart: a clerk's phone can hold both, and a
 * member page never sends a staff token (or the other way round).
 */
export type Audience = 'member' | 'staff'

const KEYS = {
  member: { token: 'jf.member.token', profile: 'jf.member.profile' },
  staff: { token: 'jf.staff.token', profile: 'jf.staff.profile' },
} as const

function read<T>(key: string): T | null {
  try {
    const v = Taro.getStorageSync(key) as T | '' | undefined
    return v === '' || v === undefined ? null : v
  } catch {
    return null
  }
}

export function tokenOf(audience: Audience): string | null {
  return read<string>(KEYS[audience].token)
}

export function saveMemberSession(token: string, member: MemberProfile): void {
  Taro.setStorageSync(KEYS.member.token, token)
  Taro.setStorageSync(KEYS.member.profile, member)
}

export function saveStaffSession(token: string, staff: StaffProfile): void {
  Taro.setStorageSync(KEYS.staff.token, token)
  Taro.setStorageSync(KEYS.staff.profile, staff)
}

export function memberProfile(): MemberProfile | null {
  return read<MemberProfile>(KEYS.member.profile)
}

export function staffProfile(): StaffProfile | null {
  return read<StaffProfile>(KEYS.staff.profile)
}

export function clearSession(audience: Audience): void {
  Taro.removeStorageSync(KEYS[audience].token)
  Taro.removeStorageSync(KEYS[audience].profile)
}

/** Where each audience signs in again. */
export const LOGIN_URL: Record<Audience, string> = {
  member: '/pages/login/index',
  staff: '/staff/login/index',
}
