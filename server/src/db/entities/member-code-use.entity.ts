import { EntitySchema } from 'typeorm';
import { int, ms, pk, str } from '../columns';

/** A member code once used at the till; unique (member_id, code) makes codes single use. */
export interface MemberCodeUse {
  id: number;
  memberId: number;
  code: string;
  usedAt: number;
}

export const MemberCodeUseEntity = new EntitySchema<MemberCodeUse>({
  name: 'MemberCodeUse',
  tableName: 'member_code_use',
  columns: { id: pk, memberId: { ...int, name: 'member_id' }, code: str(64), usedAt: { ...ms, name: 'used_at' } },
});
