import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { lotTotals, offerPrice, spendablePoints, tierRank, type RedemptionDto, type RewardDto, type RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import { LedgerEntryEntity, MemberAccountEntity, MemberOfferEntity, PointsLotEntity, RedemptionEntity, RewardEntity, type Redemption, type Reward } from '../db/entities';
import type { Clock } from '../clock';
import { notify } from './outbox';
import type { IdemRequest } from './idempotency.service';
import type { IdempotencyService, Outcome } from './idempotency.service';
import { toView, type LedgerService } from './ledger.service';
import type { MembersService } from './members.service';
import { moveStock } from './reward-stock';
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

  /** Redeem: FIFO debit, conditional stock decrement, pickup code; one transaction under the member lock. */
  async redeem(memberId: number, rewardId: number, quantity: number, idem: IdemRequest): Promise<Outcome<{ redemption: RedemptionDto; balance: number }>> {
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, memberId),
      async (m, account) => {
        const nowMs = this.clock().getTime();
        const reward = await m.getRepository(RewardEntity).findOne({ where: { id: rewardId } });
        if (!reward) throw new AppError('NOT_FOUND');
        const price = priceNow(reward, nowMs);
        if (!onSale(reward, nowMs) || losesAt(reward, nowMs, this.rules)) throw new AppError('NOT_ON_SALE');
        const tier = await this.members.tierOf(memberId, m);
        const reason = this.blocker(reward, price, tier.current.code, await this.redeemedCount(m, memberId, rewardId), quantity, Number.MAX_SAFE_INTEGER);
        if (reason !== 'OK') throw new AppError(reason);
        // The 7-day expiry reminder's offer (issue 11.3): a shelf discount for this member until the date.
        const offer = await m
          .getRepository(MemberOfferEntity)
          .createQueryBuilder('o')
          .where('o.member_id = :memberId AND o.until > :now', { memberId, now: nowMs })
          .orderBy('o.pct', 'DESC')
          .getOne();
        const unitPrice = offer ? offerPrice(price, offer.pct) : price;
        const points = unitPrice * quantity;
        const pickupCode = newPickupCode();
        const entry = await this.ledger.debit(m, account, points, {
          code: 'REDEEM',
          reason: `兑换 ${reward.title} x${quantity}${offer ? `(临期专享 ${offer.pct}% 优惠)` : ''}`,
          actor: `member:${memberId}`,
          refType: 'redemption',
          refId: pickupCode,
        });
        // Stock is shared by all members: decrement only while enough is left (atomic on both databases).
        const moved = await moveStock(m, { rewardId, delta: -quantity, kind: 'redeem', reason: pickupCode, actor: `member:${memberId}`, atMs: nowMs });
        if (!moved) throw new AppError('OUT_OF_STOCK');
        const row = {
          memberId,
          rewardId,
          quantity,
          points,
          pickupCode,
          status: 'AWAITING_PICKUP' as const,
          entryId: entry.id,
          cancelEntryId: null,
          createdAt: nowMs,
          fulfilledAt: null,
          fulfilledBy: null,
          fulfilledStoreId: null,
          cancelledAt: null,
        };
        const ins = await m.getRepository(RedemptionEntity).insert(row);
        await notify(m, { memberId, kind: 'REDEEMED', title: '兑换成功', body: `已兑换 ${reward.title} x${quantity},使用 ${points} 积分,取货码 ${pickupCode}。` }, nowMs);
        const redemption = { ...row, id: Number(ins.identifiers[0]!.id) };
        return { status: 201, body: { redemption: toRedemptionDto(redemption, reward.title), balance: account.balance } };
      },
    );
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
