import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { couponApplies, couponFor, formatLocal, type CouponDto, type CouponRedeemRequest, type CouponRedeemResponse, type CouponsResponse, type RulesConfig } from '@jifen/shared';
import { AppError } from '../errors';
import { CouponEntity, MemberOfferEntity, type Coupon } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import { notify } from './outbox';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const COUPONS_LISTED_MAX = 100;
const DAY_MS = 86_400_000;

export function newCouponCode(): string {
  let s = 'Q';
  for (let i = 0; i < 9; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/**
 * Coupons that expired points become (issue 11.3) and their single use at the till. Issue runs inside the
 * expiry job's transaction (with the EXPIRE entries); `source_key` is unique, so a coupon for one member and
 * one expiry date exists at most once whatever re-runs or crashes.
 */
export class CouponsService {
  constructor(private readonly tx: TxRunner, private readonly audit: AuditService, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  /** Issues the coupon `expiredPoints` earn, if any, in the caller's transaction; null when nothing is due or it exists. */
  async issueForExpiry(m: EntityManager, memberId: number, expiresAtMs: number, expiredPoints: number): Promise<Coupon | null> {
    const plan = couponFor(expiredPoints, this.rules);
    if (plan.units === 0) return null;
    const sourceKey = `expiry:${memberId}:${expiresAtMs}`;
    const repo = m.getRepository(CouponEntity);
    if (await repo.findOne({ where: { sourceKey } })) return null; // issued by an earlier run
    const nowMs = this.clock().getTime();
    const row = {
      memberId,
      code: newCouponCode(),
      sourceKey,
      title: `${plan.valueFen / 100} 元过期积分返还券`,
      points: expiredPoints,
      valueFen: plan.valueFen,
      minSpendFen: plan.minSpendFen,
      costFen: plan.costFen,
      issuedAt: nowMs,
      expiresAt: nowMs + this.rules.expiryCoupon.validDays * DAY_MS,
      usedAt: null,
      usedStoreId: null,
      usedOrderNo: null,
      usedBy: null,
    };
    const r = await repo.insert(row);
    const coupon = { ...row, id: Number(r.identifiers[0]!.id) };
    const until = formatLocal(new Date(coupon.expiresAt - 1), this.rules.timezone, 'M月D日');
    await notify(
      m,
      {
        memberId,
        kind: 'COUPON_ISSUED',
        title: '过期积分已转为优惠券',
        body: `${expiredPoints} 分已过期,返还 ${coupon.valueFen / 100} 元券(满 ${coupon.minSpendFen / 100} 元可用),${until} 前在门店出示卡券页使用。`,
        dedupeKey: `coupon:${sourceKey}`,
      },
      nowMs,
    );
    return coupon;
  }

  async list(memberId: number): Promise<CouponsResponse> {
    const nowMs = this.clock().getTime();
    const rows = await this.tx.manager.getRepository(CouponEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: COUPONS_LISTED_MAX });
    const offer = await this.activeOffer(this.tx.manager, memberId, nowMs);
    return {
      coupons: rows.map((c) => toCouponDto(c, nowMs)),
      offer: offer ? { pct: offer.pct, until: new Date(offer.until).toISOString() } : null,
      charity: { enabled: this.rules.charity.enabled, name: this.rules.charity.name },
    };
  }

  /** The member's running shelf discount (the 7-day reminder's offer), the largest if several. */
  async activeOffer(m: EntityManager, memberId: number, nowMs: number): Promise<{ pct: number; until: number } | null> {
    const row = await m
      .getRepository(MemberOfferEntity)
      .createQueryBuilder('o')
      .where('o.member_id = :memberId AND o.until > :now', { memberId, now: nowMs })
      .orderBy('o.pct', 'DESC')
      .getOne();
    return row ? { pct: row.pct, until: row.until } : null;
  }

  /** Records the offer in the caller's transaction (unique per reminder, so a re-run adds none). */
  async grantOffer(m: EntityManager, memberId: number, untilMs: number, sourceKey: string): Promise<boolean> {
    const pct = this.rules.expiryCoupon.offerPct;
    if (pct <= 0) return false;
    if (await m.getRepository(MemberOfferEntity).findOne({ where: { sourceKey } })) return false;
    await m.getRepository(MemberOfferEntity).insert({ memberId, kind: 'EXPIRING_DISCOUNT', pct, until: untilMs, sourceKey, createdAt: this.clock().getTime() });
    return true;
  }

  /**
   * The clerk redeems a coupon against an order of their store: once. The use is a conditional UPDATE
   * (used_at IS NULL), so two tills racing on one coupon cannot both succeed; the same store and order
   * number again replays the first answer (a retried request), any other use is COUPON_USED.
   */
  async redeem(clerk: { staffId: number; storeId: number }, actor: Actor, req: CouponRedeemRequest): Promise<{ replayed: boolean; body: CouponRedeemResponse }> {
    return this.tx.run(async (m) => {
      const nowMs = this.clock().getTime();
      const repo = m.getRepository(CouponEntity);
      const coupon = await this.tx.forUpdate(repo.createQueryBuilder('c').where('c.code = :code', { code: req.code })).getOne();
      if (!coupon) throw new AppError('NOT_FOUND');
      if (coupon.usedAt !== null) {
        if (coupon.usedStoreId === clerk.storeId && coupon.usedOrderNo === req.orderNo) return { replayed: true, body: redeemBody(coupon, req, nowMs) };
        throw new AppError('COUPON_USED');
      }
      if (coupon.expiresAt <= nowMs) throw new AppError('COUPON_LAPSED');
      if (!couponApplies(coupon, req.amountFen)) throw new AppError('COUPON_MIN_SPEND', { minSpendFen: coupon.minSpendFen });
      const done = await repo
        .createQueryBuilder()
        .update()
        .set({ usedAt: nowMs, usedStoreId: clerk.storeId, usedOrderNo: req.orderNo, usedBy: clerk.staffId })
        .where('id = :id AND used_at IS NULL', { id: coupon.id })
        .execute();
      if (done.affected !== 1) throw new AppError('COUPON_USED');
      const used = { ...coupon, usedAt: nowMs, usedStoreId: clerk.storeId, usedOrderNo: req.orderNo, usedBy: clerk.staffId };
      await this.audit.record(m, actor, { action: 'coupon.redeem', targetType: 'coupon', targetId: coupon.id, after: { orderNo: req.orderNo, amountFen: req.amountFen, valueFen: coupon.valueFen } });
      return { replayed: false, body: redeemBody(used, req, nowMs) };
    });
  }
}

function redeemBody(c: Coupon, req: CouponRedeemRequest, nowMs: number): CouponRedeemResponse {
  const discountFen = Math.min(c.valueFen, req.amountFen);
  return { coupon: toCouponDto(c, nowMs), orderNo: req.orderNo, amountFen: req.amountFen, discountFen, payFen: req.amountFen - discountFen };
}

export function toCouponDto(c: Coupon, nowMs: number): CouponDto {
  const status = c.usedAt !== null ? 'used' : c.expiresAt <= nowMs ? 'lapsed' : 'available';
  return {
    id: c.id,
    code: c.code,
    title: c.title,
    points: c.points,
    valueFen: c.valueFen,
    minSpendFen: c.minSpendFen,
    issuedAt: new Date(c.issuedAt).toISOString(),
    expiresAt: new Date(c.expiresAt).toISOString(),
    status,
    usedAt: c.usedAt === null ? null : new Date(c.usedAt).toISOString(),
  };
}
