import type { EntityManager } from 'typeorm';
import type { RulesConfig, SubscriptionsReportRequest, SubscriptionsResponse } from '@jifen/shared';
import { WxConsentEntity } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { IdemRequest, IdempotencyService, Outcome } from './idempotency.service';

/** A member cannot bank more one-time consents per template than this (WeChat counts them too; ours is a mirror). */
const CONSENTS_PER_TEMPLATE_MAX = 50;

/**
 * One-time subscribe-message consents (issue 11.5). The client calls wx.requestSubscribeMessage after a tap and
 * reports the answer here; each 'accept' of a configured template allows one message, spent by the outbox.
 * Idempotent by key, so a retried report never counts an accept twice.
 */
export class SubscriptionsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  async list(memberId: number, m: EntityManager = this.tx.manager): Promise<SubscriptionsResponse> {
    const rows = await m.getRepository(WxConsentEntity).find({ where: { memberId } });
    const left = new Map(rows.map((r) => [r.templateId, r.remaining]));
    return { templates: this.rules.subscribe.templates.map((t) => ({ key: t.key, id: t.id, title: t.title, remaining: left.get(t.id) ?? 0 })) };
  }

  async report(memberId: number, req: SubscriptionsReportRequest, idem: IdemRequest): Promise<Outcome<SubscriptionsResponse>> {
    const known = new Set(this.rules.subscribe.templates.map((t) => t.id));
    const accepted = Object.entries(req.results)
      .filter(([id, answer]) => answer === 'accept' && known.has(id))
      .map(([id]) => id);
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, memberId), // one member's reports in order
      async (m) => {
        const now = this.clock().getTime();
        const repo = m.getRepository(WxConsentEntity);
        for (const templateId of accepted) {
          const row = await repo.findOne({ where: { memberId, templateId } });
          if (row) {
            await repo.update({ id: row.id }, { remaining: Math.min(row.remaining + 1, CONSENTS_PER_TEMPLATE_MAX), acceptedTotal: row.acceptedTotal + 1, updatedAt: now });
          } else {
            await repo.insert({ memberId, templateId, remaining: 1, acceptedTotal: 1, updatedAt: now });
          }
        }
        return { status: 200, body: await this.list(memberId, m) };
      },
    );
  }
}
