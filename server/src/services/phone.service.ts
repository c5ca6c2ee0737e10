import { Not } from 'typeorm';
import { maskPhone, normalizePhone, type PhoneBindResponse } from '@jifen/shared';
import { AppError } from '../errors';
import { MemberEntity } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { WechatAdapter } from '../adapters/wechat.adapter';
import type { Clock } from '../clock';

/**
 * The member's phone (issue 9 item 3): the code of a getPhoneNumber button is exchanged on the server (the
 * number never comes from the client as such), normalised, and stored once per member: a number bound to
 * another member is refused (PHONE_IN_USE), so a phone finds exactly one member at the service desk.
 */
export class PhoneService {
  constructor(
    private readonly tx: TxRunner,
    private readonly wechat: () => WechatAdapter,
    private readonly clock: Clock,
  ) {}

  async bind(memberId: number, code: string): Promise<PhoneBindResponse> {
    const info = await this.wechat().phoneNumber(code);
    const phone = normalizePhone(info.purePhoneNumber || info.phoneNumber, info.countryCode || null) ?? normalizePhone(info.phoneNumber);
    if (!phone) throw new AppError('PHONE_CODE_INVALID', [{ path: 'code', message: 'not a phone number' }]);
    try {
      await this.tx.run(async (m) => {
        const repo = m.getRepository(MemberEntity);
        const taken = await repo.findOne({ where: { phone, id: Not(memberId) }, select: { id: true } });
        if (taken) throw new AppError('PHONE_IN_USE');
        const upd = await repo.update({ id: memberId }, { phone, phoneBoundAt: this.clock().getTime() });
        if (upd.affected !== 1) throw new AppError('NOT_FOUND');
      });
    } catch (e) {
      // Two members binding one number at once: the unique index lets one in.
      if (isUniqueViolation(e)) throw new AppError('PHONE_IN_USE');
      throw e;
    }
    return { phone: maskPhone(phone) };
  }
}
