import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { lotTotals, offerPrice, spendablePoints, tierRank, type RedemptionDto, type RewardDto, type RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import { LedgerEntryEntity, MemberAccountEntity, NotificationEntity, PointsLotEntity, RedemptionEntity, RewardEntity, type Redemption, type Reward } from '../db/entities';
import { resolveRefs, selectAll } from '../db/write-batch';
import type { Clock } from '../clock';
import { notify } from './outbox';
import type { IdemRequest } from './idempotency.service';
import { IdempotencyService, type Outcome } from './idempotency.service';
import { toView, type LedgerService } from './ledger.service';
import type { MembersService } from './members.service';
import { moveStock, moveStockInto } from './reward-stock';
import { accountColumns, toAccount, type AccountRow } from './ledger-writes';
import { lotsOf, spendablePageSql } from './ledger-lots';
import { rewardImages, tileSvg } from './reward-images';
import { losesAt, priceNow, retireBelowCost } from './reward-pricing';
import type { AuditService } from './audit.service';

const PICKUP_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I
const SHELF_SIZE_MAX = 200;

export function newPickupCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += PICKUP_ALPHABET[randomInt(PICKUP_ALPHABET.length)];
  return s;
}

/** Whether a reward can be redeemed now: on sale by status and inside its active window. */
export function onSale(r: Reward, nowMs: number): boolean {
  return r.status === 'on_sale' && (r.startsAt === null || r.startsAt <= nowMs) && (r.endsAt === null || nowMs < r.endsAt);
}

export function toRedemptionDto(r: Redemption, rewardTitle: string): RedemptionDto {
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  return {
    id: r.id,
    rewardId: r.rewardId,
    rewardTitle,
    quantity: r.quantity,
    points: r.points,
    pickupCode: r.pickupCode,
    status: r.status,
    createdAt: new Date(r.createdAt).toISOString(),
    fulfilledAt: iso(r.fulfilledAt),
    cancelledAt: iso(r.cancelledAt),
  };
}

export class RewardsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  private async redeemedCount(m: EntityManager, memberId: number, rewardId: number): Promise<number> {
    const row = await m
      .getRepository(RedemptionEntity)
      .createQueryBuilder('r')
      .select('COALESCE(SUM(r.quantity), 0)', 'n')
      .where("r.member_id = :memberId AND r.reward_id = :rewardId AND r.status <> 'CANCELLED'", { memberId, rewardId })
      .getRawOne<{ n: string | number }>();
    return Number(row?.n ?? 0);
  }

  /**
   * The shelf: what is on sale now at the price in force (issue 10.2), each with this member's eligibility.
   * A reward whose price in force is worth less than its cost at the anchor is retired here, on read (audit row).
   */
  async shelf(memberId: number): Promise<RewardDto[]> {
    const m = this.ledger.tx.manager;
    const nowMs = this.clock().getTime();
    const listed = (await m.getRepository(RewardEntity).find({ where: { status: 'on_sale' }, order: { sortOrder: 'ASC', id: 'ASC' }, take: SHELF_SIZE_MAX })).filter((r) => onSale(r, nowMs));
    const losing = listed.filter((r) => losesAt(r, nowMs, this.rules));
    const retired = losing.length > 0 ? await this.ledger.tx.run((tm) => retireBelowCost(tm, this.audit, losing, nowMs, this.rules)) : new Set<number>();
    const rewards = listed.filter((r) => !retired.has(r.id) && !losing.includes(r));
    const account = await m.getRepository(MemberAccountEntity).findOneOrFail({ where: { memberId } });
    const lots = await m.getRepository(PointsLotEntity).createQueryBuilder('l').where('l.member_id = :memberId AND l.remaining > 0', { memberId }).getMany();
    const available = spendablePoints(lots.map(toView), nowMs, account.debt); // the debit's own rule
    const tier = await this.members.tierOf(memberId, m);
    const counts = new Map<number, number>();
    const rows = await m
      .getRepository(RedemptionEntity)
      .createQueryBuilder('r')
      .select('r.reward_id', 'rewardId')
      .addSelect('SUM(r.quantity)', 'n')
      .where("r.member_id = :memberId AND r.status <> 'CANCELLED'", { memberId })
      .groupBy('r.reward_id')
      .getRawMany<{ rewardId: number; n: string | number }>();
    for (const row of rows) counts.set(Number(row.rewardId), Number(row.n));
    return rewards.map((r) => {
      const mine = counts.get(r.id) ?? 0;
      const price = priceNow(r, nowMs);
      const reason = this.blocker(r, price, tier.current.code, mine, 1, available);
      return {
        id: r.id,
        title: r.title,
        description: r.description,
        category: r.category,
        ...rewardImages(r),
        faceValueFen: r.faceValueFen,
        pointsPrice: price,
        ...(price < r.pointsPrice ? { originalPointsPrice: r.pointsPrice } : {}),
        stock: r.stock,
        minTier: r.minTier,
        perMemberLimit: r.perMemberLimit,
        startsAt: r.startsAt === null ? null : new Date(r.startsAt).toISOString(),
        endsAt: r.endsAt === null ? null : new Date(r.endsAt).toISOString(),
        eligibility: { canRedeem: reason === 'OK', reason, redeemedByMe: mine },
      };
    });
  }

  /** Why this member cannot take `quantity` now (checked in this order), or OK. */
  private blocker(r: Reward, price: number, tierCode: string, mine: number, quantity: number, available: number) {
    if (r.minTier && tierRank(tierCode, this.rules.tiers) < tierRank(r.minTier, this.rules.tiers)) return 'TIER_TOO_LOW' as const;
    if (r.perMemberLimit !== null && mine + quantity > r.perMemberLimit) return 'LIMIT_REACHED' as const;
    if (r.stock < quantity) return 'OUT_OF_STOCK' as const;
    if (available < price * quantity) return 'INSUFFICIENT_POINTS' as const;
    return 'OK' as const;
  }

  /**
   * Redeem: FIFO debit, conditional stock decrement, pickup code; one transaction under the member lock. Read first,
   * without a lock (issue 14.1): the reward, the rules version in force and the member's offer, in one statement.
   * Under the lock: the lock (with the idempotency record), the limit count if the reward has one, the lot page,
   * and one batch for every write.
   */
  async redeem(memberId: number, rewardId: number, quantity: number, idem: IdemRequest): Promise<Outcome<{ redemption: RedemptionDto; balance: number }>> {
    type Body = { redemption: RedemptionDto; balance: number };
    try {
      return await this.ledger.tx.run(async (m): Promise<Outcome<Body>> => {
        const nowMs = this.clock().getTime();
        const { entities, raw } = await m
          .getRepository(RewardEntity)
          .createQueryBuilder('r')
          .addSelect('(SELECT v.id FROM rules_version v ORDER BY v.id DESC LIMIT 1)', 'jf_rv')
          .addSelect('(SELECT MAX(o.pct) FROM member_offer o WHERE o.member_id = :memberId AND o.until > :nowMs)', 'jf_offer')
          .where('r.id = :rewardId', { rewardId, memberId, nowMs })
          .getRawAndEntities<{ jf_rv: unknown; jf_offer: unknown }>();
        const reward = entities[0];
        await this.ledger.versions.syncTo(m, Number(raw[0]?.jf_rv ?? 0));
        const tierCode = reward?.minTier ? (await this.members.tierOf(memberId, m)).current.code : '';
        // The lock, the idempotency record and the first page of spendable lots in one round trip.
        const [locked, page] = await selectAll(m, [
          {
            sql: `SELECT ${accountColumns('a')}, ${IdempotencyService.COLUMNS} FROM member_account a ${IdempotencyService.JOIN} WHERE a.member_id = ?${m.connection.options.type === 'mysql' ? ' FOR UPDATE' : ''}`,
            params: [...IdempotencyService.joinParams(idem), memberId],
          },
          { sql: spendablePageSql(memberId, nowMs)[0], params: spendablePageSql(memberId, nowMs)[1] },
        ]);
        const row = locked![0] as (AccountRow & { jf_hash: string | null; jf_status: unknown; jf_body: string | null }) | undefined;
        if (!row) throw new AppError('NOT_FOUND');
        const again = this.idempotency.replayFromRow<Body>(idem, row);
        if (again) return again;
        const account = toAccount(row);
        if (!reward) throw new AppError('NOT_FOUND');
        const price = priceNow(reward, nowMs);
        if (!onSale(reward, nowMs) || losesAt(reward, nowMs, this.rules)) throw new AppError('NOT_ON_SALE');
        const mine = reward.perMemberLimit !== null ? await this.redeemedCount(m, memberId, rewardId) : 0;
        const reason = this.blocker(reward, price, tierCode, mine, quantity, Number.MAX_SAFE_INTEGER);
        if (reason !== 'OK') throw new AppError(reason);
        // The 7-day expiry reminder's offer (issue 11.3): a shelf discount for this member until the date.
        const offerPct = raw[0]?.jf_offer === null || raw[0]?.jf_offer === undefined ? null : Number(raw[0].jf_offer);
        const unitPrice = offerPct !== null ? offerPrice(price, offerPct) : price;
        const points = unitPrice * quantity;
        const pickupCode = newPickupCode();
        const batch = this.ledger.batch(m);
        const entry = await this.ledger.debitInto(m, batch, account, points, {
          code: 'REDEEM',
          reason: `兑换 ${reward.title} x${quantity}${offerPct !== null ? `(临期专享 ${offerPct}% 优惠)` : ''}`,
          actor: `member:${memberId}`,
          refType: 'redemption',
          refId: pickupCode,
        }, { lots: lotsOf(page!), now: nowMs });
        // Stock is shared by all members: decrement only while enough is left (atomic on both databases).
        moveStockInto(batch, { rewardId, delta: -quantity, kind: 'redeem', reason: pickupCode, actor: `member:${memberId}`, atMs: nowMs }, () => new AppError('OUT_OF_STOCK'));
        const redemption = {
          memberId,
          rewardId,
          quantity,
          points,
          pickupCode,
          status: 'AWAITING_PICKUP' as const,
          entryId: entry.ref,
          cancelEntryId: null,
          createdAt: nowMs,
          fulfilledAt: null,
          fulfilledBy: null,
          fulfilledStoreId: null,
          cancelledAt: null,
        };
        const id = batch.insert(RedemptionEntity, redemption);
        batch.insert(NotificationEntity, { memberId, kind: 'REDEEMED', title: '兑换成功', body: `已兑换 ${reward.title} x${quantity},使用 ${points} 积分,取货码 ${pickupCode}。`.slice(0, 500), dedupeKey: null, createdAt: nowMs, readAt: null });
        const body = { redemption: { ...toRedemptionDto({ ...redemption, id: 0, entryId: 0 }, reward.title), id }, balance: account.balance };
        this.idempotency.recordInto(batch, idem, 201, body);
        await batch.flush();
        return { status: 201, body: resolveRefs(body) as unknown as Body, replayed: false };
      });
    } catch (e) {
      return this.idempotency.afterConflict<Body>(idem, e);
    }
  }

  /** The generated fallback picture of a reward without images, or null when there is no such reward. */
  async tile(rewardId: number): Promise<string | null> {
    const r = await this.ledger.tx.manager.getRepository(RewardEntity).findOne({ where: { id: rewardId } });
    return r ? tileSvg(r.id, r.title) : null;
  }

  async mine(memberId: number): Promise<RedemptionDto[]> {
    const m = this.ledger.tx.manager;
    const list = await m.getRepository(RedemptionEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: 100 });
    const titles = await this.titles(m, list.map((r) => r.rewardId));
    return list.map((r) => toRedemptionDto(r, titles.get(r.rewardId) ?? ''));
  }

  private async titles(m: EntityManager, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rewards = await m.getRepository(RewardEntity).createQueryBuilder('r').where('r.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(rewards.map((r) => [r.id, r.title]));
  }

  /** Cancel while unfulfilled: points back into their original lots, stock back. Another member's id is 404. */
  async cancel(memberId: number, redemptionId: number): Promise<{ redemption: RedemptionDto; balance: number }> {
    return this.ledger.tx.run(async (m) => {
      const account = await this.ledger.lockAccount(m, memberId);
      const r = await m.getRepository(RedemptionEntity).findOne({ where: { id: redemptionId, memberId } });
      if (!r) throw new AppError('NOT_FOUND');
      if (r.status !== 'AWAITING_PICKUP') throw new AppError('NOT_CANCELLABLE');
      const original = await m.getRepository(LedgerEntryEntity).findOneOrFail({ where: { id: r.entryId } });
      const reward = await m.getRepository(RewardEntity).findOneOrFail({ where: { id: r.rewardId } });
      const entry = await this.ledger.restore(m, account, original, {
        code: 'REDEEM_CANCEL',
        reason: `取消兑换 ${reward.title} x${r.quantity}`,
        actor: `member:${memberId}`,
        refType: 'redemption',
        refId: r.pickupCode,
      });
      const nowMs = this.clock().getTime();
      await moveStock(m, { rewardId: r.rewardId, delta: r.quantity, kind: 'redeem_cancel', reason: r.pickupCode, actor: `member:${memberId}`, atMs: nowMs });
      // Guarded on status so a concurrent fulfilment (which does not hold the member lock) cannot be undone.
      const upd = await m
        .getRepository(RedemptionEntity)
        .createQueryBuilder()
        .update()
        .set({ status: 'CANCELLED', cancelEntryId: entry.id, cancelledAt: nowMs })
        .where("id = :id AND status = 'AWAITING_PICKUP'", { id: r.id })
        .execute();
      if (upd.affected !== 1) throw new AppError('NOT_CANCELLABLE');
      return { redemption: toRedemptionDto({ ...r, status: 'CANCELLED', cancelEntryId: entry.id, cancelledAt: nowMs }, reward.title), balance: account.balance };
    });
  }

  /** Counter hand-over by pickup code, once. Any store may hand over a reward. */
  async fulfil(clerk: { staffId: number; storeId: number }, pickupCode: string): Promise<{ redemption: RedemptionDto }> {
    return this.ledger.tx.run(async (m) => {
      const r = await m.getRepository(RedemptionEntity).findOne({ where: { pickupCode } });
      if (!r) throw new AppError('NOT_FOUND');
      const nowMs = this.clock().getTime();
      const upd = await m
        .getRepository(RedemptionEntity)
        .createQueryBuilder()
        .update()
        .set({ status: 'FULFILLED', fulfilledAt: nowMs, fulfilledBy: clerk.staffId, fulfilledStoreId: clerk.storeId })
        .where("id = :id AND status = 'AWAITING_PICKUP'", { id: r.id })
        .execute();
      if (upd.affected !== 1) {
        const now = await m.getRepository(RedemptionEntity).findOneOrFail({ where: { id: r.id } });
        throw new AppError(now.status === 'CANCELLED' ? 'REDEMPTION_CANCELLED' : 'ALREADY_FULFILLED');
      }
      const titles = await this.titles(m, [r.rewardId]);
      return { redemption: toRedemptionDto({ ...r, status: 'FULFILLED', fulfilledAt: nowMs, fulfilledBy: clerk.staffId, fulfilledStoreId: clerk.storeId }, titles.get(r.rewardId) ?? '') };
    });
  }
}
