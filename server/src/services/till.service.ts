import type { EntityManager } from 'typeorm';
import {
  addDays,
  computePurchaseEarning,
  formatYuan,
  localMonth,
  refundReversal,
  type BreakdownLine,
  type RulesConfig,
} from '@jifen/shared';
import { AppError } from '../errors';
import { IdempotencyRecordEntity, MemberAccountEntity, MemberEntity, NotificationEntity, PurchaseEntity, RefundEntity, StoreEntity, type MemberAccount, type Purchase } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import { notify } from './outbox';
import type { IdemRequest } from './idempotency.service';
import type { CampaignBudgetService } from './campaign-budget.service';
import type { IdempotencyService, Outcome } from './idempotency.service';
import type { LedgerService } from './ledger.service';
import type { MembersService } from './members.service';
import type { MemberCodeService } from './member-code.service';

export interface PurchaseResult {
  purchaseId: number;
  orderNo: string;
  memberId: number;
  amountFen: number;
  pointsAwarded: number;
  breakdown: BreakdownLine[];
  pendingUntil: string | null;
  balance: number;
}

export interface RefundResult {
  orderNo: string;
  refundFen: number;
  refundedFenTotal: number;
  pointsReversed: number;
  balance: number;
}

export interface Clerk {
  staffId: number;
  storeId: number;
}

export function purchaseRef(p: { storeId: number; orderNo: string }) {
  return { refType: 'purchase', refId: `${p.storeId}:${p.orderNo}` };
}

/** Idempotency scope of a store's order numbers (the natural key); never clashes with header-key scopes. */
function purchaseScope(storeId: number): string {
  return `purchase:${storeId}`;
}

/**
 * Hooks run inside a member's purchase transaction (the invite reward after a first purchase). A hook may
 * return work to run after that transaction commits (e.g. another member's reward, which DESIGN §9 keeps
 * out of this member's transaction); that work must be idempotent and durable on its own (a sweep retries it),
 * because a failure there is swallowed: the purchase is already committed and its response stands.
 */
export type FirstPurchaseAfterCommit = () => Promise<void>;
/** Runs inside the purchase transaction on the till's locked account (one in-memory copy, kept current). */
export type FirstPurchaseHook = (m: EntityManager, account: MemberAccount) => Promise<FirstPurchaseAfterCommit | void>;

export class TillService {
  private firstPurchaseHooks: FirstPurchaseHook[] = [];

  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly campaigns: CampaignBudgetService,
    private readonly codes: MemberCodeService,
    private readonly idempotency: IdempotencyService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  // Store names only appear in notification text, so one read per store per few minutes is enough (saves a
  // query on most purchases); an admin's rename shows in new notices within STORE_NAME_TTL_MS.
  private readonly storeNames = new Map<number, { name: string; readAt: number }>();
  private static readonly STORE_NAME_TTL_MS = 5 * 60_000;

  private async storeName(m: EntityManager, storeId: number): Promise<string> {
    const now = performance.now(); // a cache age, not a business time (the injected clock may stand still in tests)
    const cached = this.storeNames.get(storeId);
    if (cached !== undefined && now - cached.readAt < TillService.STORE_NAME_TTL_MS) return cached.name;
    const store = await m.getRepository(StoreEntity).findOne({ where: { id: storeId } });
    const name = store?.name ?? '门店';
    if (store) this.storeNames.set(storeId, { name, readAt: now });
    return name;
  }

  onFirstPurchase(hook: FirstPurchaseHook): void {
    this.firstPurchaseHooks.push(hook);
  }

  /** The response for a purchase; `balance` comes from the caller's locked account, else it is read. */
  private async result(m: EntityManager, p: Purchase, balance?: number): Promise<PurchaseResult> {
    const account = balance !== undefined ? { balance } : await m.getRepository(MemberAccountEntity).findOneOrFail({ where: { memberId: p.memberId } });
    const pendingUntil = this.rules.purchase.pendingDays > 0 ? addDays(new Date(p.createdAt), this.rules.purchase.pendingDays).toISOString() : null;
    return {
      purchaseId: p.id,
      orderNo: p.orderNo,
      memberId: p.memberId,
      amountFen: p.amountFen,
      pointsAwarded: p.pointsAwarded,
      breakdown: JSON.parse(p.breakdown) as BreakdownLine[],
      pendingUntil,
      balance: account.balance,
    };
  }

  /** A replay of the same order returns the first result; another member or amount is ORDER_CONFLICT. */
  private async existing(m: EntityManager, storeId: number, orderNo: string, memberId: number, amountFen: number): Promise<PurchaseResult | null> {
    const p = await m.getRepository(PurchaseEntity).findOne({ where: { storeId, orderNo } });
    if (!p) return null;
    if (p.memberId !== memberId || p.amountFen !== amountFen) throw new AppError('ORDER_CONFLICT');
    // The stored first response: a retry gets exactly what the first post answered, even once the
    // balance has moved on (the purchase row alone cannot say what the balance was then).
    const first = await m.getRepository(IdempotencyRecordEntity).findOne({ where: { scope: purchaseScope(storeId), idemKey: orderNo } });
    return first ? (JSON.parse(first.responseBody) as PurchaseResult) : this.result(m, p);
  }

  /** Clerk posts an order with a member code. Idempotent on (store, orderNo). */
  async postWithCode(clerk: Clerk, input: { memberCode: string; orderNo: string; amountFen: number }): Promise<{ replayed: boolean; result: PurchaseResult }> {
    const memberId = this.codes.resolve(input.memberCode);
    return this.post({ ...clerk, memberId, orderNo: input.orderNo, amountFen: input.amountFen, memberCode: input.memberCode });
  }

  async post(input: Clerk & { memberId: number; orderNo: string; amountFen: number; memberCode?: string }): Promise<{ replayed: boolean; result: PurchaseResult }> {
    const { storeId, memberId, orderNo, amountFen } = input;
    // No read before the transaction: retries are rare, and the check under the member lock below is the
    // one that counts (it also saves every new purchase a round trip).
    const afterCommit: FirstPurchaseAfterCommit[] = [];
    try {
      const out = await this.ledger.tx.run(async (m) => {
        afterCommit.length = 0; // a transaction retried after a deadlock starts over
        const account = await this.ledger.lockAccount(m, memberId);
        const again = await this.existing(m, storeId, orderNo, memberId, amountFen);
        if (again) return { replayed: true, result: again };
        if (input.memberCode) await this.codes.consume(m, memberId, input.memberCode);
        const now = this.clock();
        const member = await m.getRepository(MemberEntity).findOneOrFail({ where: { id: memberId } });
        const tier = await this.members.tierOf(memberId, m);
        const campaign = await this.campaigns.pickLocked(m, { nowMs: now.getTime(), tierCode: tier.current.code, storeId, channel: 'purchase' });
        const birthdayMonth = member.birthday !== null && member.birthday.slice(5, 7) === localMonth(now, this.rules.timezone).slice(5, 7);
        const earning = computePurchaseEarning({ amountFen, tier: tier.current, birthdayMonth, campaign, rules: this.rules });
        const ref = purchaseRef({ storeId, orderNo });
        const activatesAt = addDays(now, this.rules.purchase.pendingDays).getTime();
        const actor = `staff:${input.staffId}`;
        const basePart = earning.total - earning.campaignBonus;
        let entryId = 0;
        if (basePart > 0) {
          const e = await this.ledger.credit(m, account, basePart, { code: 'EARN_PURCHASE', reason: `消费 ${formatYuan(amountFen)} 元`, actor, breakdown: earning.lines, activatesAt, ...ref });
          entryId = e.id;
        }
        if (earning.campaignBonus > 0 && campaign) {
          await this.campaigns.charge(m, campaign, earning.campaignBonus);
          const e = await this.ledger.credit(m, account, earning.campaignBonus, { code: 'EARN_CAMPAIGN_BONUS', reason: `${campaign.name} 加赠`, actor, activatesAt, ...ref });
          entryId ||= e.id;
        }
        const row = {
          storeId,
          orderNo,
          memberId,
          amountFen,
          pointsAwarded: earning.total,
          refundedFen: 0,
          reversedPoints: 0,
          entryId,
          breakdown: JSON.stringify(earning.lines),
          campaignId: earning.campaignId,
          campaignBonus: earning.campaignBonus,
          clerkId: input.staffId,
          createdAt: now.getTime(),
        };
        const ins = await m.getRepository(PurchaseEntity).insert(row);
        const storeName = await this.storeName(m, storeId);
        await m.getRepository(NotificationEntity).insert({
          memberId,
          kind: 'PURCHASE',
          title: '消费积分到账',
          body: `您在${storeName}消费${formatYuan(amountFen)}元,获得${earning.total}积分${this.rules.purchase.pendingDays > 0 ? `(${this.rules.purchase.pendingDays}天后生效)` : ''},当前余额${account.balance}积分。`,
          dedupeKey: null,
          createdAt: now.getTime(),
          readAt: null,
        });
        if (member.firstPurchaseAt === null) {
          await m.getRepository(MemberEntity).update({ id: memberId }, { firstPurchaseAt: now.getTime() });
          for (const hook of this.firstPurchaseHooks) {
            const after = await hook(m, account);
            if (after) afterCommit.push(after);
          }
        }
        const result = await this.result(m, { ...row, id: Number(ins.identifiers[0]!.id) }, account.balance);
        await m.getRepository(IdempotencyRecordEntity).insert({
          scope: purchaseScope(storeId),
          idemKey: orderNo,
          requestHash: `member:${memberId};amountFen:${amountFen}`,
          statusCode: 201,
          responseBody: JSON.stringify(result),
          createdAt: now.getTime(),
        });
        return { replayed: false, result };
      });
      for (const after of afterCommit) await after().catch(() => undefined);
      return out;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const after = await this.existing(this.ledger.tx.manager, storeId, orderNo, memberId, amountFen);
      if (after) return { replayed: true, result: after };
      throw e;
    }
  }

  /** A refund of the clerk's own store's order (another store's order is 404). Idempotency-Key required. */
  async refund(clerk: Clerk, orderNo: string, refundFen: number, idem: IdemRequest): Promise<Outcome<RefundResult>> {
    const found = await this.ledger.tx.manager.getRepository(PurchaseEntity).findOne({ where: { storeId: clerk.storeId, orderNo } });
    if (!found) throw new AppError('NOT_FOUND');
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, found.memberId),
      async (m, account) => {
        const p = await m.getRepository(PurchaseEntity).findOneOrFail({ where: { id: found.id } });
        const plan = refundReversal({
          awardedPoints: p.pointsAwarded,
          orderAmountFen: p.amountFen,
          refundedFenBefore: p.refundedFen,
          reversedPointsBefore: p.reversedPoints,
          refundFen,
        });
        if (!plan.ok) throw new AppError('REFUND_EXCEEDS_ORDER', { refundableFen: plan.refundableFen });
        const now = this.clock().getTime();
        let entryId: number | null = null;
        if (plan.points > 0) {
          const e = await this.ledger.reverse(m, account, plan.points, purchaseRef(p), {
            code: 'REFUND_REVERSAL',
            reason: `订单 ${p.orderNo} 退款 ${formatYuan(refundFen)} 元`,
            actor: `staff:${clerk.staffId}`,
            reversesEntryId: p.entryId || null,
            ...purchaseRef(p),
          });
          entryId = e.id;
          await notify(m, { memberId: p.memberId, kind: 'REFUND_REVERSAL', title: '退款扣回积分', body: `订单 ${p.orderNo} 退款 ${formatYuan(refundFen)} 元,扣回 ${plan.points} 积分,当前余额 ${account.balance} 积分。` }, now);
        }
        const upd = await m
          .getRepository(PurchaseEntity)
          .createQueryBuilder()
          .update()
          .set({ refundedFen: p.refundedFen + refundFen, reversedPoints: p.reversedPoints + plan.points })
          .where('id = :id AND refunded_fen = :before', { id: p.id, before: p.refundedFen })
          .execute();
        if (upd.affected !== 1) throw new Error(`purchase ${p.id} changed under the member lock`);
        await m.getRepository(RefundEntity).insert({ purchaseId: p.id, memberId: p.memberId, amountFen: refundFen, pointsReversed: plan.points, entryId, clerkId: clerk.staffId, createdAt: now });
        return {
          status: 201,
          body: { orderNo: p.orderNo, refundFen, refundedFenTotal: p.refundedFen + refundFen, pointsReversed: plan.points, balance: account.balance },
        };
      },
    );
  }
}
