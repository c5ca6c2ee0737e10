import Taro from '@tarojs/taro'
import { staffLoginResponse, wechatLoginResponse, type MemberProfile, type StaffProfile } from '@jifen/shared'
import { z } from 'zod'
import { request } from './request'
import { clearSession, saveMemberSession, saveStaffSession } from './session'

const healthResponse = z.object({ ok: z.boolean(), db: z.string(), wechatMode: z.enum(['dev', 'real']) })
export type Health = z.infer<typeof healthResponse>

/** The demo members the server seeds in WECHAT_MODE=dev (server/src/seed/demo-seed.ts). */
export const DEMO_MEMBERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const

/** POST /auth/wechat: a wx.login code (or 'dev:<name>' when the server runs WECHAT_MODE=dev). */
export async function loginWithCode(code: string): Promise<MemberProfile> {
  const out = await request({ method: 'POST', path: '/auth/wechat', body: { code }, auth: 'none', schema: wechatLoginResponse })
  saveMemberSession(out.token, out.member)
  return out.member
}

/** weapp: Taro.login gives a one-time code; the server exchanges it (code2Session), session_key never reaches us. */
export async function loginWithWechat(): Promise<MemberProfile> {
  const { code } = await Taro.login()
  return loginWithCode(code)
}

export function loginAsDemo(name: string): Promise<MemberProfile> {
  return loginWithCode(`dev:${name}`)
}

export async function loginStaff(username: string, password: string): Promise<StaffProfile> {
  const out = await request({ method: 'POST', path: '/auth/staff', body: { username, password }, auth: 'none', schema: staffLoginResponse })
  saveStaffSession(out.token, out.staff)
  return out.staff
}

export function logoutMember(): void {
  clearSession('member')
}

export function logoutStaff(): void {
  clearSession('staff')
}

/** GET /health: tells the H5 login screen whether the demo-member picker can work (WECHAT_MODE=dev). */
export function health(): Promise<Health> {
  return request({ path: '/health', auth: 'none', schema: healthResponse })
}
