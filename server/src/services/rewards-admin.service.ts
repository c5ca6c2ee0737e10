import type { EntityManager } from 'typeorm';
import {
  REWARD_ENDING_SOON_DAYS,
  REWARD_LIST_MAX,
  REWARD_LOW_STOCK_AT,
  formatLocal,
  parseLocal,
  stripUnsafeText,
  type RewardAdminDto,
  type RewardCreateRequest,
  type RewardListQuery,
  type RewardPatchRequest,
  type RulesConfig,
  type StockMoveRequest,
  type StockMovementDto,
} from '@jifen/shared';
import { AppError } from '../errors';
import { RedemptionEntity, RewardEntity, RewardPriceHistoryEntity, RewardStockMovementEntity, type Reward, type RewardStockMovement } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import type { IdemRequest, IdempotencyService, Outcome } from './idempotency.service';
import type { UploadsService } from './uploads.service';
import { moveStock } from './reward-stock';
import { storedImages } from './reward-images';
import { checkBand, defaultPrice, priceNow, scheduleDto, storeSchedule } from './reward-pricing';

const HISTORY_MAX = 50;
const LIKE_ESCAPE = '!';
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);
const iso = (ms: number) => new Date(ms).toISOString();

/** The reward as the audit trail records it. */
function snapshot(r: Reward) {
  const { id: _id, active: _active, createdAt: _c, updatedAt: _u, ...rest } = r;
  return { ...rest, images: storedImages(r) };
}

/**
 * The rewards catalogue (issue 9 item 1), marketing and admin. Each write is one transaction with its
 * audit row. Price fields (pointsPrice, faceValueFen, costFen) are the economics of a reward: every set of
 * them a reward has had is a row of reward_price_history, newest last. Stock moves only by movement rows
 * (initial, staff adjustments, redemptions). There is no delete: a reward leaves the shelf by status.
 */
export class RewardsAdminService {
  constructor(
    private readonly tx: TxRunner,
    private readonly uploads: UploadsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  async list(q: RewardListQuery): Promise<{ rewards: RewardAdminDto[]; categories: string[]; truncated: boolean }> {
    const m = this.tx.manager;
    const qb = m.getRepository(RewardEntity).createQueryBuilder('r');
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.category) qb.andWhere('r.category = :category', { category: stripUnsafeText(q.category) });
    if (q.lowStock) qb.andWhere('r.stock <= :low', { low: REWARD_LOW_STOCK_AT });
    if (q.ending) {
      const nowMs = this.clock().getTime();
      qb.andWhere('r.ends_at IS NOT NULL AND r.ends_at > :now AND r.ends_at <= :soon', { now: nowMs, soon: nowMs + REWARD_ENDING_SOON_DAYS * 86_400_000 });
    }
    const text = q.q ? stripUnsafeText(q.q) : '';
    if (text) qb.andWhere(`r.title LIKE :t ESCAPE '${LIKE_ESCAPE}'`, { t: `%${likeEscape(text)}%` });
    const rows = await qb.orderBy('r.sort_order', 'ASC').addOrderBy('r.id', 'ASC').take(REWARD_LIST_MAX + 1).getMany();
    const page = rows.slice(0, REWARD_LIST_MAX);
    const counts = await this.redeemedCounts(m, page.map((r) => r.id));
    const cats = await m.getRepository(RewardEntity).createQueryBuilder('r').select('DISTINCT r.category', 'c').where("r.category <> ''").orderBy('c', 'ASC').getRawMany<{ c: string }>();
    return { rewards: page.map((r) => this.toDto(r, counts.get(r.id) ?? 0)), categories: cats.map((c) => c.c), truncated: rows.length > REWARD_LIST_MAX };
  }

  async get(id: number) {
    const m = this.tx.manager;
    const r = await m.getRepository(RewardEntity).findOne({ where: { id } });
    if (!r) throw new AppError('NOT_FOUND');
    const prices = await m.getRepository(RewardPriceHistoryEntity).find({ where: { rewardId: id }, order: { id: 'DESC' }, take: HISTORY_MAX });
    const moves = await m.getRepository(RewardStockMovementEntity).find({ where: { rewardId: id }, order: { id: 'DESC' }, take: HISTORY_MAX });
    return {
      reward: this.toDto(r, (await this.redeemedCounts(m, [id])).get(id) ?? 0),
      priceHistory: prices.map((p) => ({ pointsPrice: p.pointsPrice, faceValueFen: p.faceValueFen, costFen: p.costFen, reason: p.reason, changedBy: p.changedBy, changedAt: iso(p.changedAt) })),
      stockMovements: moves.map(toMovementDto),
    };
  }

  async create(actor: Actor, body: RewardCreateRequest): Promise<RewardAdminDto> {
    await this.checkRefs(body);
    return this.tx.run(async (m) => {
      const nowMs = this.clock().getTime();
      const last = await m.getRepository(RewardEntity).createQueryBuilder('r').select('MAX(r.sort_order)', 'n').getRawOne<{ n: number | string | null }>();
      const row: Omit<Reward, 'id'> = {
        title: body.title,
        description: body.description,
        category: body.category,
        imageUrl: body.images[0] ?? '',
        images: JSON.stringify(body.images),
        faceValueFen: body.faceValueFen,
        costFen: body.costFen,
        pointsPrice: body.pointsPrice ?? defaultPrice(body.faceValueFen, this.rules),
        priceSchedule: storeSchedule(body.priceSchedule ?? [], this.rules.timezone),
        stock: body.stock,
        minTier: body.minTier,
        perMemberLimit: body.perMemberLimit,
        startsAt: this.instant(body.activeFrom),
        endsAt: this.instant(body.activeTo),
        status: body.status,
        active: body.status === 'on_sale',
        sortOrder: last?.n === null || last?.n === undefined ? 0 : Number(last.n) + 1,
        createdAt: nowMs,
        updatedAt: nowMs,
      };
      checkBand(row, body.priceReason, this.rules);
      const ins = await m.getRepository(RewardEntity).insert(row);
      const reward: Reward = { ...row, id: Number(ins.identifiers[0]!.id) };
      await m.getRepository(RewardStockMovementEntity).insert({ rewardId: reward.id, delta: body.stock, stockAfter: body.stock, kind: 'initial', reason: '新建商品', actor: actor.username.slice(0, 64), createdAt: nowMs });
      await this.recordPrice(m, reward, actor, nowMs, body.priceReason);
      await this.audit.record(m, actor, { action: 'reward.create', targetType: 'reward', targetId: reward.id, before: null, after: snapshot(reward) });
      return this.toDto(reward, 0);
    });
  }

  /** Applies any mix of fields; a change of price writes a price-history row; a change that changes nothing writes nothing. */
  async update(actor: Actor, id: number, patch: RewardPatchRequest): Promise<RewardAdminDto> {
    await this.checkRefs(patch);
    return this.tx.run(async (m) => {
      const before = await this.lock(m, id);
      const next: Reward = { ...before };
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.category !== undefined) next.category = patch.category;
      if (patch.images !== undefined) Object.assign(next, { images: JSON.stringify(patch.images), imageUrl: patch.images[0] ?? '' });
      for (const k of ['faceValueFen', 'costFen', 'pointsPrice', 'minTier', 'perMemberLimit', 'status'] as const) {
        if (patch[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = patch[k];
      }
      if (patch.priceSchedule !== undefined) next.priceSchedule = storeSchedule(patch.priceSchedule, this.rules.timezone);
      if (patch.activeFrom !== undefined) next.startsAt = this.instant(patch.activeFrom);
      if (patch.activeTo !== undefined) next.endsAt = this.instant(patch.activeTo);
      if (next.startsAt !== null && next.endsAt !== null && next.endsAt <= next.startsAt) {
        throw new AppError('VALIDATION_FAILED', [{ path: 'activeTo', message: 'activeTo must be after activeFrom' }]);
      }
      next.active = next.status === 'on_sale';
      const redeemed = (await this.redeemedCounts(m, [id])).get(id) ?? 0;
      if (JSON.stringify(snapshot(next)) === JSON.stringify(snapshot(before))) return this.toDto(before, redeemed);
      const priced = next.pointsPrice !== before.pointsPrice || next.faceValueFen !== before.faceValueFen || next.costFen !== before.costFen || next.priceSchedule !== before.priceSchedule;
      if (priced) checkBand(next, patch.priceReason, this.rules);
      const nowMs = this.clock().getTime();
      next.updatedAt = nowMs;
      const { id: _id, ...cols } = next;
      await m.getRepository(RewardEntity).update({ id }, cols);
      if (priced) await this.recordPrice(m, next, actor, nowMs, patch.priceReason);
      const action = next.status !== before.status ? `reward.${next.status}` : 'reward.update';
      await this.audit.record(m, actor, { action, targetType: 'reward', targetId: id, before: snapshot(before), after: snapshot(next) });
      return this.toDto(next, redeemed);
    });
  }

  /** Moves stock by delta with a reason, once per Idempotency-Key; never below zero (409 STOCK_BELOW_ZERO). */
  async moveStock(actor: Actor, id: number, body: StockMoveRequest, idem: IdemRequest): Promise<Outcome<{ reward: RewardAdminDto; movement: StockMovementDto }>> {
    return this.idempotency.run(
      idem,
      (m) => this.lock(m, id),
      async (m, before) => {
        const nowMs = this.clock().getTime();
        const moved = await moveStock(m, { rewardId: id, delta: body.delta, kind: 'adjust', reason: body.reason, actor: actor.username, atMs: nowMs });
        if (!moved) throw new AppError('STOCK_BELOW_ZERO', { stock: before.stock, delta: body.delta });
        const after = await m.getRepository(RewardEntity).findOneOrFail({ where: { id } });
        await this.audit.record(m, actor, { action: 'reward.stock', targetType: 'reward', targetId: id, before: { stock: before.stock }, after: { stock: moved.stockAfter, delta: body.delta, reason: body.reason } });
        const movement = await m.getRepository(RewardStockMovementEntity).findOneOrFail({ where: { id: moved.id } });
        return { status: 200, body: { reward: this.toDto(after, (await this.redeemedCounts(m, [id])).get(id) ?? 0), movement: toMovementDto(movement) } };
      },
    );
  }

  private async lock(m: EntityManager, id: number): Promise<Reward> {
    const r = await this.tx.forUpdate(m.getRepository(RewardEntity).createQueryBuilder('r').where('r.id = :id', { id })).getOne();
    if (!r) throw new AppError('NOT_FOUND');
    return r;
  }

  /** A tier must exist in the rules and images must be stored uploads: 400 naming the field otherwise. */
  private async checkRefs(b: { minTier?: string | null; images?: string[] }): Promise<void> {
    if (b.minTier && !this.rules.tiers.some((t) => t.code === b.minTier)) throw new AppError('VALIDATION_FAILED', [{ path: 'minTier', message: 'no such tier' }]);
    if (b.images && !(await this.uploads.allExist(b.images))) throw new AppError('VALIDATION_FAILED', [{ path: 'images', message: 'upload the image first (POST /admin/uploads)' }]);
  }

  private async recordPrice(m: EntityManager, r: Reward, actor: Actor, atMs: number, reason = ''): Promise<void> {
    await m.getRepository(RewardPriceHistoryEntity).insert({ rewardId: r.id, pointsPrice: r.pointsPrice, faceValueFen: r.faceValueFen, costFen: r.costFen, reason: reason.slice(0, 200), changedBy: actor.username.slice(0, 64), changedAt: atMs });
  }

  private instant(local: string | null | undefined): number | null {
    return local ? parseLocal(local, this.rules.timezone).getTime() : null;
  }

  private local(ms: number | null): string | null {
    return ms === null ? null : formatLocal(new Date(ms), this.rules.timezone, 'YYYY-MM-DDTHH:mm');
  }

  /** Units redeemed and not cancelled, by reward. */
  private async redeemedCounts(m: EntityManager, ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await m
      .getRepository(RedemptionEntity)
      .createQueryBuilder('d')
      .select('d.reward_id', 'rewardId')
      .addSelect('SUM(d.quantity)', 'n')
      .where('d.reward_id IN (:...ids)', { ids })
      .andWhere("d.status <> 'CANCELLED'")
      .groupBy('d.reward_id')
      .getRawMany<{ rewardId: number | string; n: number | string }>();
    return new Map(rows.map((r) => [Number(r.rewardId), Number(r.n)]));
  }

  private toDto(r: Reward, redeemedCount: number): RewardAdminDto {
    const images = storedImages(r);
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      category: r.category,
      images,
      imageUrl: images[0] ?? '',
      faceValueFen: r.faceValueFen,
      costFen: r.costFen,
      pointsPrice: r.pointsPrice,
      stock: r.stock,
      minTier: r.minTier,
      perMemberLimit: r.perMemberLimit,
      activeFrom: this.local(r.startsAt),
      activeTo: this.local(r.endsAt),
      status: r.status,
      priceSchedule: scheduleDto(r, this.rules.timezone),
      pointsPriceInForce: priceNow(r, this.clock().getTime()),
      redeemedCount,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    };
  }
}

function toMovementDto(mv: RewardStockMovement): StockMovementDto {
  return { id: mv.id, delta: mv.delta, stockAfter: mv.stockAfter, kind: mv.kind, reason: mv.reason, actor: mv.actor, createdAt: iso(mv.createdAt) };
}
