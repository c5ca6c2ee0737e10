import { ID_MAX } from '../schemas/common';
import { normalizePhone } from './phone';

/**
 * What a back-office search box string can be (issue 9 item 3). Each reading is served by its own index:
 * phone by the unique index on member.phone, member number by the primary key, openid by the unique index
 * on member.openid (exact matches only), nickname by the (nickname, id) index as a prefix range.
 */
export interface MemberQuery {
  phone: string | null;
  id: number | null;
  openid: string | null;
  nicknamePrefix: string | null;
}

const OPENID = /^[A-Za-z0-9_-]{6,64}$/;

export function classifyMemberQuery(raw: string): MemberQuery {
  const q = raw.trim();
  if (!q) return { phone: null, id: null, openid: null, nicknamePrefix: null };
  const idMatch = /^0*([1-9]\d{0,9})$/.exec(q);
  const id = idMatch && Number(idMatch[1]) <= ID_MAX ? Number(idMatch[1]) : null;
  return {
    phone: normalizePhone(q),
    id,
    openid: OPENID.test(q) ? q : null,
    nicknamePrefix: q,
  };
}

/** The member number shown to people: the id, zero-padded to 6 digits (会员号 000123). */
export function memberNumber(id: number): string {
  return String(id).padStart(6, '0');
}
