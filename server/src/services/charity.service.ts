import type { DonationResponse, RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { IdemRequest, IdempotencyService, Outcome } from './idempotency.service';
import { notify } from './outbox';

/**
 * Donating points to the brand's charity pool (issue 11.3): a DONATE debit, FIFO, so the points closest to
 * expiring go first. The pool is the sum of DONATE entries (the report shows it); nothing else holds it.
 */
export class CharityService {
  constructor(private readonly ledger: LedgerService, private readonly idempotency: IdempotencyService, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  async donate(memberId: number, points: number, idem: IdemRequest): Promise<Outcome<DonationResponse>> {
    if (!this.rules.charity.enabled) throw new AppError('DONATION_CLOSED');
    const pool = this.rules.charity.name;
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, memberId),
      async (m, account) => {
        await this.ledger.debit(m, account, points, { code: 'DONATE', reason: `捐赠给${pool}`, actor: `member:${memberId}`, refType: 'charity', refId: idem.key.slice(0, 64) });
        await notify(m, { memberId, kind: 'DONATED', title: '感谢您的捐赠', body: `${points} 分已捐赠给${pool}。` }, this.clock().getTime());
        return { status: 201, body: { donated: points, balance: account.balance, pool } };
      },
    );
  }
}
