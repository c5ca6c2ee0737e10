import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { formatLocal, type RulesConfig } from '@jifen/shared';
import { MemberEntity, NotificationEntity, WxConsentEntity, type Notification } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { SubscribeSender } from '../adapters/wechat-subscribe.adapter';

export interface DeliveryResult {
  claimed: number;
  sent: number;
  skipped: number;
  noConsent: number;
  retrying: number;
  failed: number;
  uncertain: number;
}

type Template = RulesConfig['subscribe']['templates'][number];

/**
 * Delivers the notice outbox to WeChat subscribe messages (issue 11.5). A notice row is claimed (conditional
 * UPDATE with an owner and an expiry: two workers never hold the same row), then, in its own committed step,
 * one consent is spent and the row marked 'sending' before the HTTP call; the result is recorded after it.
 * A worker that dies leaves a claim that expires: 'claimed' rows are simply taken again; 'sending' rows are
 * sent again only when the sender is idempotent on the notice's key (dev log), else marked 'uncertain' and not
 * sent twice (WeChat has no idempotency key). No row is ever deleted: the in-app notice always remains.
 */
export class OutboxDeliveryService {
  static readonly BATCH_MAX = 100;
  static readonly LEASE_MS = 60_000;
  static readonly BACKOFF_BASE_MS = 30_000;
  static readonly BACKOFF_MAX_MS = 3_600_000;

  /** Test hook: runs after a message was handed to the sender and before the result is recorded. */
  afterSend: ((n: Notification) => void) | null = null;

  constructor(private readonly tx: TxRunner, private readonly sender: SubscribeSender, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  templateFor(kind: string): Template | null {
    return this.rules.subscribe.templates.find((t) => t.kinds.includes(kind)) ?? null;
  }

  async deliver(limit = OutboxDeliveryService.BATCH_MAX): Promise<DeliveryResult> {
    const out: DeliveryResult = { claimed: 0, sent: 0, skipped: 0, noConsent: 0, retrying: 0, failed: 0, uncertain: 0 };
    const owner = randomUUID();
    const claimed = await this.claim(owner, Math.min(limit, OutboxDeliveryService.BATCH_MAX), out);
    out.claimed = claimed.length;
    for (const n of claimed) await this.deliverOne(n, owner, out);
    return out;
  }

  private async claim(owner: string, limit: number, out: DeliveryResult): Promise<Notification[]> {
    return this.tx.run(async (m) => {
      const now = this.clock().getTime();
      const repo = m.getRepository(NotificationEntity);
      // Interrupted sends: re-sent later only through an idempotent sender; else never twice.
      if (!this.sender.idempotent) {
        const r = await repo
          .createQueryBuilder()
          .update()
          .set({ wxState: 'uncertain', wxDoneAt: now, wxClaimBy: null })
          .where("wx_state = 'sending' AND wx_claim_until <= :now", { now })
          .execute();
        out.uncertain += r.affected ?? 0;
      }
      const due = await repo
        .createQueryBuilder('n')
        .select(['n.id', 'n.wxState'])
        .where(
          "(n.wx_state = 'pending' AND (n.wx_next_at IS NULL OR n.wx_next_at <= :now)) OR (n.wx_state IN ('claimed', 'reclaimed', 'sending') AND n.wx_claim_until <= :now)",
          { now },
        )
        .orderBy('n.id', 'ASC')
        .limit(limit)
        .getMany();
      if (due.length === 0) return [];
      const until = now + OutboxDeliveryService.LEASE_MS;
      const take = async (ids: number[], state: 'claimed' | 'reclaimed', where: string) => {
        if (ids.length === 0) return;
        await repo.createQueryBuilder().update().set({ wxState: state, wxClaimBy: owner, wxClaimUntil: until }).where(`id IN (:...ids) AND (${where})`, { ids, now }).execute();
      };
      const fresh = due.filter((n) => n.wxState !== 'sending').map((n) => n.id);
      const resumed = due.filter((n) => n.wxState === 'sending').map((n) => n.id);
      await take(fresh, 'claimed', "(wx_state = 'pending' AND (wx_next_at IS NULL OR wx_next_at <= :now)) OR (wx_state IN ('claimed', 'reclaimed') AND wx_claim_until <= :now)");
      await take(resumed, 'reclaimed', "wx_state = 'sending' AND wx_claim_until <= :now");
      return repo.find({ where: { wxClaimBy: owner }, order: { id: 'ASC' } });
    });
  }

  private async deliverOne(n: Notification, owner: string, out: DeliveryResult): Promise<void> {
    const template = this.templateFor(n.kind);
    const mark = (m: EntityManager, set: Partial<Notification>) =>
      m.getRepository(NotificationEntity).createQueryBuilder().update().set(set).where('id = :id AND wx_claim_by = :owner', { id: n.id, owner }).execute();
    if (!template) {
      await this.tx.run((m) => mark(m, { wxState: 'skipped', wxDoneAt: this.clock().getTime(), wxClaimBy: null }));
      out.skipped += 1;
      return;
    }
    // Step 1 (committed before the call): spend one consent (not again for a resumed send) and mark 'sending'.
    const step = await this.tx.run(async (m) => {
      const now = this.clock().getTime();
      const member = await m.getRepository(MemberEntity).findOne({ where: { id: n.memberId } });
      if (n.wxState !== 'reclaimed') {
        const spent = await m
          .getRepository(WxConsentEntity)
          .createQueryBuilder()
          .update()
          .set({ remaining: () => 'remaining - 1', updatedAt: now })
          .where('member_id = :memberId AND template_id = :tid AND remaining > 0', { memberId: n.memberId, tid: template.id })
          .execute();
        if (spent.affected !== 1 || !member) {
          await mark(m, { wxState: 'no_consent', wxDoneAt: now, wxClaimBy: null });
          return null;
        }
      }
      const r = await mark(m, { wxState: 'sending', wxAttempts: n.wxAttempts + 1, wxClaimUntil: now + OutboxDeliveryService.LEASE_MS });
      return r.affected === 1 && member ? member.openid : null;
    });
    if (step === null) {
      out.noConsent += 1;
      return;
    }
    const result = await this.sender.send({
      key: `notice:${n.id}`,
      touser: step,
      templateId: template.id,
      page: this.rules.subscribe.page,
      miniprogramState: this.rules.subscribe.miniprogramState,
      data: this.dataFor(n, template),
    });
    this.afterSend?.(n);
    // Step 2: record the result.
    await this.tx.run(async (m) => {
      const now = this.clock().getTime();
      if (result.ok) {
        await mark(m, { wxState: 'sent', wxDoneAt: now, wxClaimBy: null, wxError: null });
        out.sent += 1;
        return;
      }
      const attempts = n.wxAttempts + 1;
      const error = `${result.code} ${result.message}`.slice(0, 100);
      if (result.transient) {
        // The message did not go out: the consent is given back for the next attempt.
        await m
          .getRepository(WxConsentEntity)
          .createQueryBuilder()
          .update()
          .set({ remaining: () => 'remaining + 1', updatedAt: now })
          .where('member_id = :memberId AND template_id = :tid', { memberId: n.memberId, tid: template.id })
          .execute();
        if (attempts < this.rules.subscribe.attemptsMax) {
          const wait = Math.min(OutboxDeliveryService.BACKOFF_BASE_MS * 2 ** (attempts - 1), OutboxDeliveryService.BACKOFF_MAX_MS);
          await mark(m, { wxState: 'pending', wxNextAt: now + wait, wxClaimBy: null, wxError: error });
          out.retrying += 1;
          return;
        }
      }
      if (result.code === 43101) {
        // The member has no subscription left at WeChat: our count was stale.
        await m.getRepository(WxConsentEntity).update({ memberId: n.memberId, templateId: template.id }, { remaining: 0, updatedAt: now });
      }
      await mark(m, { wxState: 'failed', wxDoneAt: now, wxClaimBy: null, wxError: error });
      out.failed += 1;
    });
  }

  /** The template's fields from the notice; thing* values are at most 20 characters (WeChat's limit). */
  private dataFor(n: Notification, t: Template): Record<string, { value: string }> {
    const data: Record<string, { value: string }> = {};
    for (const [field, source] of Object.entries(t.fields)) {
      const raw = source === 'time' ? formatLocal(new Date(n.createdAt), this.rules.timezone, 'YYYY-MM-DD HH:mm') : source === 'title' ? n.title : n.body;
      data[field] = { value: field.startsWith('thing') && raw.length > 20 ? `${raw.slice(0, 19)}…` : raw };
    }
    return data;
  }
}
