import {
  staffListResponse,
  staffResponse,
  staffWithPasswordResponse,
  storeListResponse,
  storeResponse,
  type StaffAdminDto,
  type StaffCreateRequest,
  type StaffPatchRequest,
  type StoreCreateRequest,
  type StoreDto,
  type StorePatchRequest,
} from '@jifen/shared'
import { request } from './request'

export type { StaffAdminDto, StoreDto }

/** Inputs as the forms build them (before the shared schemas' transforms run on the server). */
export type StaffCreateInput = StaffCreateRequest

/** GET /admin/staff: accounts by username; `truncated` when there are more than one page holds. */
export function listStaff(query: { role?: string; storeId?: number; status?: 'active' | 'disabled'; q?: string } = {}) {
  return request({ path: '/admin/staff', query, auth: 'staff', schema: staffListResponse })
}

/**
 * POST /admin/staff: the answer carries the generated password, shown once. No Idempotency-Key on purpose:
 * a stored replay would keep the password; a retried create answers USERNAME_TAKEN and the admin resets instead.
 */
export function createStaff(body: StaffCreateInput) {
  return request({ method: 'POST', path: '/admin/staff', body, auth: 'staff', schema: staffWithPasswordResponse })
}

/** PATCH /admin/staff/:id: role, store, display name, disabled; a change of access ends that account's sessions. */
export async function updateStaff(id: number, body: StaffPatchRequest): Promise<StaffAdminDto> {
  return (await request({ method: 'PATCH', path: `/admin/staff/${id}`, body, auth: 'staff', schema: staffResponse })).staff
}

/** POST /admin/staff/:id/password: a new generated password, shown once. */
export function resetStaffPassword(id: number) {
  return request({ method: 'POST', path: `/admin/staff/${id}/password`, auth: 'staff', schema: staffWithPasswordResponse })
}

/** GET /admin/stores with each store's open / closed state. */
export async function listStoresAdmin(): Promise<StoreDto[]> {
  return (await request({ path: '/admin/stores', auth: 'staff', schema: storeListResponse })).stores
}

export async function createStore(body: StoreCreateRequest): Promise<StoreDto> {
  return (await request({ method: 'POST', path: '/admin/stores', body, auth: 'staff', schema: storeResponse })).store
}

/** PATCH /admin/stores/:id: rename, close (closed: true) or reopen. */
export async function updateStore(id: number, body: StorePatchRequest): Promise<StoreDto> {
  return (await request({ method: 'PATCH', path: `/admin/stores/${id}`, body, auth: 'staff', schema: storeResponse })).store
}
