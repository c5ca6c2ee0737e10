import { EntitySchema } from 'typeorm';
import { intNull, ms, msNull, pk, str, strNull } from '../columns';

export interface Member {
  id: number;
  openid: string;
  nickname: string;
  birthday: string | null; // 'YYYY-MM-DD'
  birthdaySetAt: number | null;
  invitedBy: number | null;
  firstPurchaseAt: number | null;
  /** Normalised (shared/rules/phone): 11 digits for a mainland mobile, else +E.164; unique. */
  phone: string | null;
  phoneBoundAt: number | null;
  createdAt: number;
  /** Random, drawn on first use (issue 8.5); unique. */
  inviteCode?: string | null;
}

export const MemberEntity = new EntitySchema<Member>({
  name: 'Member',
  tableName: 'member',
  columns: {
    id: pk,
    openid: str(64),
    nickname: str(64),
    birthday: strNull(10),
    birthdaySetAt: { ...msNull, name: 'birthday_set_at' },
    invitedBy: { ...intNull, name: 'invited_by' },
    firstPurchaseAt: { ...msNull, name: 'first_purchase_at' },
    phone: strNull(20),
    phoneBoundAt: { ...msNull, name: 'phone_bound_at' },
    createdAt: { ...ms, name: 'created_at' },
    inviteCode: { ...strNull(16), name: 'invite_code' },
  },
});
