/**
 * Staff roles (DESIGN §1, issue 9). Which routes each role may call is the route table in ./routes: that
 * table is the one role matrix, enforced by the server (server/src/http/route.ts) and read by the client
 * (staff navigation) and the API reference.
 */
export const STAFF_ROLES = ['clerk', 'marketing', 'service', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_NAMES: Record<StaffRole, string> = { clerk: '店员', marketing: '运营', service: '客服', admin: '管理员' };

export function isStaffRole(v: unknown): v is StaffRole {
  return typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);
}
