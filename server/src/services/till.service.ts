import type { EntityManager } from 'typeorm';
import {
  addDays,
  computePurchaseEarning,
  formatYuan,
  localMonth,
  type BreakdownLine,
  type RulesConfig,
} from '@jifen/shared';
import { AppError } from '../errors';
import { IdempotencyRecordEntity, MemberAccountEntity, MemberCodeUseEntity, NotificationEntity, PurchaseEntity, StoreEntity, type MemberAccount, type Purchase } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import { jsonWithRefs, resolveRefs, type Ref } from '../db/write-batch';
import type { Clock } from '../clock';
import type { IdemRequest } from './idempotency.service';
import type { CampaignBudgetService } from './campaign-budget.service';
import type { IdempotencyService, Outcome } from './idempotency.service';
import type { LedgerService } from './ledger.service';
import type { MembersService } from './members.service';
import type { MemberCodeService } from './member-code.service';
import type { TillPointsService } from './till-points.service';
import { firstPurchaseStill, purchaseContext, purchaseRef } from './till-context';
import { refundOrder } from './till-refund';

/** What the clerk posts; pointsToUse pays part of the order (issue 11.7), confirmLargeAmount passes the guard (8.9). */
export interface PurchaseInput {
  memberCode: string;
  orderNo: string;
  amountFen: number;
  pointsToUse?: number;
  confirmLargeAmount?: boolean;
}

export interface PurchaseResult {
  purchaseId: number;
  orderNo: string;
  memberId: number;
  amountFen: number;
  pointsAwarded: number;
  breakdown: BreakdownLine[];
  pendingUntil: string | null;
  balance: number;
  pointsUsed: number;
  pointsFen: number;
  cashFen: number;
}

export interface RefundResult {
  orderNo: string;
  refundFen: number;
  refundedFenTotal: number;
  pointsReversed: number;
  pointsReturned: number;
  balance: number;
}

export interface Clerk {
  staffId: number;
  storeId: number;
}

export { purchaseRef } from './till-context';

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
export type FirstPurchaseHook = (m: EntityManager, account: MemberAccount, order: { purchaseId: number; activatesAt: number }) => Promise<FirstPurchaseAfterCommit | void>;
/** Runs inside a refund's transaction on the member's locked account, with the purchase as it stands after the refund. */
export type RefundHook = (m: EntityManager, account: MemberAccount, purchase: Purchase) => Promise<void>;

export class TillService {
  private firstPurchaseHooks: FirstPurchaseHook[] = [];
  private refundHooks: RefundHook[] = [];

  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly campaigns: CampaignBudgetService,
    private readonly codes: MemberCodeService,
    private readonly idempotency: IdempotencyService,
    private readonly points: TillPointsService,
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

  /** Rewards that rode on an order (review, invite) are taken back when it is refunded inside its return window. */
  onRefund(hook: RefundHook): void {
    this.refundHooks.push(hook);
  }

  /** The response for a purchase; `balance` comes from the caller's locked account, else it is read. */
  private async result(m: EntityManager, p: Purchase, balance?: number): Promise<PurchaseResult> {
    const account = balance !== undefined ? { balance } : await m.getRepository(MemberAccountEntity).findOneOrFail({ where: { memberId: p.memberId } });
    return this.resultOf(p, account.balance) as PurchaseResult;
  }

  /** The response for a purchase (its id may still be a batch's Ref). */
  private resultOf(p: Pick<Purchase, 'orderNo' | 'memberId' | 'amountFen' | 'pointsAwarded' | 'breakdown' | 'createdAt' | 'pointsUsed' | 'pointsFen'> & { id: number | Ref }, balance: number): Omit<PurchaseResult, 'purchaseId'> & { purchaseId: number | Ref } {
    const pendingUntil = this.rules.purchase.pendingDays > 0 ? addDays(new Date(p.createdAt), this.rules.purchase.pendingDays).toISOString() : null;
    return {
      purchaseId: p.id,
      orderNo: p.orderNo,
      memberId: p.memberId,
      amountFen: p.amountFen,
      pointsAwarded: p.pointsAwarded,
      breakdown: JSON.parse(p.breakdown) as BreakdownLine[],
      pendingUntil,
      balance,
      pointsUsed: p.pointsUsed,
      pointsFen: p.pointsFen,
      cashFen: p.amountFen - p.pointsFen,
    };
  }

  /** A replay of the same order returns the first result; another member, amount or points used is ORDER_CONFLICT. */
  private async existing(m: EntityManager, storeId: number, orderNo: string, memberId: number, amountFen: number, pointsToUse: number): Promise<PurchaseResult | null> {
    const p = await m.getRepository(PurchaseEntity).findOne({ where: { storeId, orderNo } });
    if (!p) return null;
    if (p.memberId !== memberId || p.amountFen !== amountFen || p.pointsUsed !== pointsToUse) throw new AppError('ORDER_CONFLICT');
    // The stored first response: a retry gets exactly what the first post answered, even once the
    // balance has moved on (the purchase row alone cannot say what the balance was then).
    const first = await m.getRepository(IdempotencyRecordEntity).findOne({ where: { scope: purchaseScope(storeId), idemKey: orderNo } });
    // Results stored before points at the till carry no payment split: cash only.
    return first ? { pointsUsed: 0, pointsFen: 0, cashFen: p.amountFen, ...(JSON.parse(first.responseBody) as Omit<PurchaseResult, 'pointsUsed' | 'pointsFen' | 'cashFen'>) } : this.result(m, p);
  }

  /** Clerk posts an order with a member code. Idempotent on (store, orderNo). */
  async postWithCode(clerk: Clerk, input: PurchaseInput): Promise<{ replayed: boolean; result: PurchaseResult }> {
    // The order first (issue 8.4): a retry of a committed purchase is answered whatever its code's age; checking
    // the code first answered a retry 95 s later CODE_INVALID, and a clerk who re-keyed under a new number
    // paid the points twice.
    // A valid code and no guard to pass (nearly every post): straight on; post() answers a replay from its first read.
    let resolved: number | null = null;
    try {
      resolved = this.codes.resolve(input.memberCode);
    } catch {
      resolved = null;
    }
    const large = input.amountFen > this.rules.till.largeAmountConfirmFen && input.confirmLargeAmount !== true;
    if (resolved === null || large) {
      const replay = await this.replayOf(clerk.storeId, input);
      if (replay) return { replayed: true, result: replay };
    }
    // Issue 8.9: a mistyped ¥12,800.00 for ¥128.00 is caught before anything is written.
    if (large) throw new AppError('LARGE_AMOUNT_CONFIRM', { amountFen: input.amountFen, thresholdFen: this.rules.till.largeAmountConfirmFen });
    const memberId = resolved ?? this.codes.resolve(input.memberCode);
    return this.post({ ...clerk, memberId, orderNo: input.orderNo, amountFen: input.amountFen, pointsToUse: input.pointsToUse ?? 0, memberCode: input.memberCode });
  }

  /**
   * The stored first result when (store, orderNo) is already posted. The retry must carry the same amount and a
   * code of the same member: the very code that purchase used (however old), or any valid code of that member
   * (a re-scan); another member's code or amount is ORDER_CONFLICT. Read without a lock: the check under the
   * member lock in post() still settles a race between two first posts.
   */
  private async replayOf(storeId: number, input: PurchaseInput): Promise<PurchaseResult | null> {
    const m = this.ledger.tx.manager;
    const p = await m.getRepository(PurchaseEntity).findOne({ where: { storeId, orderNo: input.orderNo } });
    if (!p) return null;
    const code = input.memberCode.trim().toUpperCase();
    const usedBefore = await m.getRepository(MemberCodeUseEntity).findOne({ where: { memberId: p.memberId, code } });
    // A stale code that this purchase did not use says nothing about the member: CODE_INVALID (scan again).
    if (!usedBefore && this.codes.resolve(code) !== p.memberId) throw new AppError('ORDER_CONFLICT');
    return this.existing(m, storeId, input.orderNo, p.memberId, input.amountFen, input.pointsToUse ?? 0);
  }

  async post(input: Clerk & { memberId: number; orderNo: string; amountFen: number; pointsToUse?: number; memberCode?: string }): Promise<{ replayed: boolean; result: PurchaseResult }> {
    const { storeId, memberId, orderNo, amountFen } = input;
    const pointsToUse = input.pointsToUse ?? 0;
    const split = this.points.plan(amountFen, pointsToUse); // refused before any write
    const afterCommit: FirstPurchaseAfterCommit[] = [];
    try {
      const out = await this.ledger.tx.run(async (m) => {
        afterCommit.length = 0; // a transaction retried after a deadlock starts over
        const now = this.clock();
        // Everything that needs no lock is read first (issue 14.1), in one statement: the member, the rules version
        // in force, and whether the order is already posted (a committed order is final, so a replay needs no lock;
        // a first post racing this one is settled by the order's unique key when the batch below runs).
        const pre = await purchaseContext(m, memberId, storeId, orderNo);
        if (pre.purchaseId !== null) return { replayed: true, result: (await this.existing(m, storeId, orderNo, memberId, amountFen, pointsToUse))! };
        await this.ledger.versions.syncTo(m, pre.rulesVersion);
        const running = await this.campaigns.running(m, now.getTime()); // also when the cap stopped bonuses: the breakdown says so
        const storeName = await this.storeName(m, storeId);
        // The lock, and with it the first page of spendable lots when points pay (one round trip).
        const { account, firstPage } = split.pointsUsed > 0 ? await this.ledger.lockWithFirstPage(m, memberId, now.getTime()) : { account: await this.ledger.lockSynced(m, memberId), firstPage: undefined };
        // The tier after the lock: two purchases at once must not both miss an upgrade their points earn together.
        const tier = await this.members.tierOf(memberId, m);
        const batch = this.ledger.batch(m);
        // The code is used up in the same batch: a second use fails on its unique key (CODE_USED, below).
        if (input.memberCode) batch.insert(MemberCodeUseEntity, { memberId, code: input.memberCode.trim().toUpperCase(), usedAt: now.getTime() });
        // The economics in force (synced above): the guard's factor, and whether the yearly cap stopped bonuses.
        const economy = this.ledger.versions.state;
        const picked = running.length > 0 ? await this.campaigns.pickLocked(m, { nowMs: now.getTime(), tierCode: tier.current.code, storeId, channel: 'purchase' }, running) : null;
        const campaign = economy.bonusesStopped ? null : picked;
        const birthdayMonth = pre.birthday !== null && pre.birthday.slice(5, 7) === localMonth(now, this.rules.timezone).slice(5, 7);
        const ref = purchaseRef({ storeId, orderNo });
        const actor = `staff:${input.staffId}`;
        // Points pay first (FIFO over what is spendable now); only the cash part earns (issue 11.7).
        const paid = await this.points.spendInto(m, batch, account, split, { ...ref, orderNo, actor }, firstPage);
        const earning = computePurchaseEarning({
          amountFen: paid.cashFen,
          tier: tier.current,
          birthdayMonth,
          campaign,
          rules: this.rules,
          guardFactorPct: economy.guardFactorPct,
          campaignStoppedByCap: economy.bonusesStopped && picked !== null,
        });
        const activatesAt = addDays(now, this.rules.purchase.pendingDays).getTime();
        const basePart = earning.total - earning.campaignBonus;
        let entryId: Ref | number = 0;
        if (basePart > 0) {
          const reason = paid.pointsUsed > 0 ? `消费 ${formatYuan(amountFen)} 元(现金 ${formatYuan(paid.cashFen)} 元)` : `消费 ${formatYuan(amountFen)} 元`;
          entryId = (await this.ledger.creditInto(m, batch, account, basePart, { code: 'EARN_PURCHASE', reason, actor, breakdown: earning.lines, activatesAt, ...ref })).ref;
        }
        if (earning.campaignBonus > 0 && campaign) {
          this.campaigns.chargeInto(batch, campaign, earning.campaignBonus);
          const e = await this.ledger.creditInto(m, batch, account, earning.campaignBonus, { code: 'EARN_CAMPAIGN_BONUS', reason: `${campaign.name} 加赠`, actor, activatesAt, ...ref });
          entryId ||= e.ref;
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
          pointsUsed: paid.pointsUsed,
          pointsFen: paid.pointsFen,
          pointsReturned: 0,
          redeemEntryId: paid.redeemEntryId,
        };
        const purchaseId = batch.insert(PurchaseEntity, row);
        batch.insert(NotificationEntity, {
          memberId,
          kind: 'PURCHASE',
          title: '消费积分到账',
          body: `您在${storeName}消费${formatYuan(amountFen)}元,获得${earning.total}积分${this.rules.purchase.pendingDays > 0 ? `(${this.rules.purchase.pendingDays}天后生效)` : ''},当前余额${account.balance}积分。`,
          dedupeKey: null,
          createdAt: now.getTime(),
          readAt: null,
        });
        // First purchase (rare): checked again under the lock, then the hooks run on the written purchase.
        if (pre.firstPurchaseAt === null && (await firstPurchaseStill(m, memberId))) {
          batch.exec('UPDATE member SET first_purchase_at = ? WHERE id = ?', [now.getTime(), memberId]);
          await batch.flush();
          for (const hook of this.firstPurchaseHooks) {
            const after = await hook(m, account, { purchaseId: purchaseId.id, activatesAt });
            if (after) afterCommit.push(after);
          }
        }
        const result = this.resultOf({ ...row, id: purchaseId }, account.balance);
        batch.insert(IdempotencyRecordEntity, {
          scope: purchaseScope(storeId),
          idemKey: orderNo,
          requestHash: `member:${memberId};amountFen:${amountFen}${pointsToUse > 0 ? `;pointsToUse:${pointsToUse}` : ''}`,
          statusCode: 201,
          responseBody: jsonWithRefs(result),
          createdAt: now.getTime(),
        });
        await batch.flush();
        // 保级: an upgrade these points earn is immediate, stored and told in this transaction; after the flush, since
        // when an upgrade is possible it reads the entries just written (the common case costs no statement).
        if (earning.total > 0) await this.members.tiers.afterEarn(m, memberId, { before: tier, earned: earning.total });
        return { replayed: false, result: resolveRefs(result) as PurchaseResult };
      });
      for (const after of afterCommit) await after().catch(() => undefined);
      return out;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const after = await this.existing(this.ledger.tx.manager, storeId, orderNo, memberId, amountFen, pointsToUse);
      if (after) return { replayed: true, result: after };
      // Not this order: the member code was used before (its unique key), by another order.
      if (input.memberCode && (await this.ledger.tx.manager.getRepository(MemberCodeUseEntity).exists({ where: { memberId, code: input.memberCode.trim().toUpperCase() } }))) {
        throw new AppError('CODE_USED');
      }
      throw e;
    }
  }

  /** A refund of the clerk's own store's order (another store's order is 404). Idempotency-Key required (till-refund.ts). */
  refund(clerk: Clerk, orderNo: string, refundFen: number, idem: IdemRequest): Promise<Outcome<RefundResult>> {
    return refundOrder({ ledger: this.ledger, idempotency: this.idempotency, points: this.points, clock: this.clock, refundHooks: this.refundHooks, tiers: this.members.tiers }, clerk, orderNo, refundFen, idem);
  }
}
