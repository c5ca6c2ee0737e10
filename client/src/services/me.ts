import {
  checkinResponse,
  ledgerPageResponse,
  memberCodeResponse,
  memberProfileSchema,
  meResponse,
  notificationPageResponse,
  notificationsReadResponse,
  phoneBindResponse,
  type CheckinResponse,
  type LedgerPageResponse,
  type MeResponse,
  type MemberCodeResponse,
  type MemberProfile,
  type NotificationDto,
  type NotificationPageResponse,
  type NotificationsReadResponse,
  type PhoneBindResponse,
} from '@jifen/shared'
import { z } from 'zod'
import { request } from './request'
import { memberProfile, saveMemberSession, tokenOf } from './session'

export type { MeResponse, LedgerPageResponse, CheckinResponse, MemberCodeResponse, NotificationDto, NotificationPageResponse }

export const LEDGER_PAGE_SIZE = 20

/** GET /me: balance, tier, check-in streak, expiring and pending points. */
export function getMe(): Promise<MeResponse> {
  return request({ path: '/me', auth: 'member', schema: meResponse })
}

/** GET /me/ledger: newest first; pass the previous page's nextCursor for the next page. */
export function getLedger(cursor: number | null, limit = LEDGER_PAGE_SIZE): Promise<LedgerPageResponse> {
  return request({ path: '/me/ledger', query: { cursor, limit }, auth: 'member', schema: ledgerPageResponse })
}

/** GET /me/notifications: the member's notices newest first (limit at most 50), with the unread count. */
export function getNotifications(cursor: number | null, limit: number): Promise<NotificationPageResponse> {
  return request({ path: '/me/notifications', query: { cursor, limit }, auth: 'member', schema: notificationPageResponse })
}

/** POST /me/notifications/read: marks the notices the member has seen (by id) read; answers the exact unread count. */
export function markNotificationsRead(ids: number[]): Promise<NotificationsReadResponse> {
  return request({ method: 'POST', path: '/me/notifications/read', body: { ids }, auth: 'member', schema: notificationsReadResponse })
}

/** POST /me/checkins: once per local day; the server refuses a second one with ALREADY_CHECKED_IN. */
export function checkIn(): Promise<CheckinResponse> {
  return request({ method: 'POST', path: '/me/checkins', auth: 'member', schema: checkinResponse })
}

/** GET /me/code: the rotating member code for the till, valid until expiresAt. */
export function getMemberCode(): Promise<MemberCodeResponse> {
  return request({ path: '/me/code', auth: 'member', schema: memberCodeResponse })
}

/** PUT /me/birthday: 'YYYY-MM-DD', once (BIRTHDAY_ALREADY_SET afterwards). */
export async function setBirthday(birthday: string): Promise<MemberProfile> {
  const out = await request({ method: 'PUT', path: '/me/birthday', body: { birthday }, auth: 'member', schema: z.object({ member: memberProfileSchema }) })
  const token = tokenOf('member')
  if (token) saveMemberSession(token, out.member)
  return out.member
}

/** The profile saved at login (nickname), for a header that should not wait for the network. */
export function cachedProfile(): MemberProfile | null {
  return memberProfile()
}

/** POST /me/phone: the code of a getPhoneNumber button (weapp) or dev:<phone> (H5 against a dev server); answers the masked phone. */
export function bindPhone(code: string): Promise<PhoneBindResponse> {
  return request({ method: 'POST', path: '/me/phone', body: { code }, auth: 'member', schema: phoneBindResponse })
}
