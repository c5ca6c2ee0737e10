import type { EntityManager } from 'typeorm';
import {
  pctLabel,
  retentionFigure,
  tierFor,
  tierRank,
  tierReached,
  tierRuleOf,
  tierWindowStart,
  upgradeFor,
  type RetentionFigure,
  type RulesConfig,
  type StoredTier,
  type TierRule,
  type TierStatus,
} from '@jifen/shared';
import { MemberTierEntity, type MemberTier } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { notify } from './outbox';
import { qualifyingBetween } from './qualifying-months';

export { QUALIFYING_CODES } from './qualifying-months';

/** The member's tier as everyone reads it: the stored tier (保级), the rolling window's progress, the tier year. */
export interface MemberTierStatus extends TierStatus {
  stored: StoredTier;
  /** False for a member from before stored tiers whose row the tier job has not written yet (read from the rules). */
  recorded: boolean;
  /** Qualifying points in the tier year so far (after yearFrom): what keeping the tier counts (0 unless asked). */
  yearPoints: number;
  retention: RetentionFigure | null;
}

/**
 * The one place that reads and lifts a member's stored tier (issue 11.4). The till, check-ins, rewards (minTier),
 * campaigns and GET /me read `status`; every earning write calls `afterEarn` inside its own transaction, after
 * its credits, with the member's account locked: an upgrade is stored and told in that same transaction.
 */
export class MemberTiers {
  constructor(private readonly tx: TxRunner, private readonly rules: RulesConfig, private readonly clock: Clock) {}

  /**
   * Qualifying points over the rolling window (DESIGN §1: last 12 months) ending now: read from the member's
   * monthly buckets and the window's partial first month (issue 14.3), one statement of bounded cost.
   */
  async rollingPoints(m: EntityManager, memberId: number, nowMs: number): Promise<number> {
    const since = tierWindowStart(new Date(nowMs), this.rules).getTime();
    return qualifyingBetween(m, memberId, since, null);
  }

  /** Qualifying points of a tier year: after its start, up to its anniversary (or now, whichever is first). */
  async yearPoints(m: EntityManager, memberId: number, stored: Pick<StoredTier, 'yearFrom' | 'reviewAt'>, nowMs: number): Promise<number> {
    const until = stored.reviewAt === null ? nowMs : Math.min(nowMs, stored.reviewAt);
    return until <= stored.yearFrom ? 0 : qualifyingBetween(m, memberId, stored.yearFrom + 1, until + 1);
  }

  async row(m: EntityManager, memberId: number, lock = false): Promise<MemberTier | null> {
    const qb = m.getRepository(MemberTierEntity).createQueryBuilder('t').where('t.member_id = :memberId', { memberId });
    return (lock ? this.tx.forUpdate(qb) : qb).getOne();
  }

  /** `year`: also the tier year's points and the 保级 figure (GET /me); the till and others skip that query. */
  async status(memberId: number, m: EntityManager = this.tx.manager, opts: { year?: boolean } = {}): Promise<MemberTierStatus> {
    const now = this.clock();
    const nowMs = now.getTime();
    const rolling = await this.rollingPoints(m, memberId, nowMs);
    const row = await this.row(m, memberId);
    const stored = row ? toStored(row) : tierReached(tierFor(rolling, this.rules.tiers).current.code, nowMs, this.rules);
    const yearPoints = row && opts.year ? await this.yearPoints(m, memberId, stored, nowMs) : 0;
    return {
      ...progress(tierRuleOf(stored.code, this.rules.tiers), rolling, this.rules.tiers),
      stored,
      recorded: row !== null,
      yearPoints,
      retention: opts.year ? retentionFigure(stored, yearPoints, now, this.rules) : null,
    };
  }

  /**
   * After an earning write's credits, in its transaction: a member whose rolling points now reach a higher tier
   * is lifted at once (the tier year starts now) and told (TIER_UP). A member from before stored tiers gets the
   * row the rules say, silently (that is the tier they already had). Returns the tier lifted to, if any.
   */
  async afterEarn(m: EntityManager, memberId: number, known?: { before: MemberTierStatus; earned: number }): Promise<TierRule | null> {
    const nowMs = this.clock().getTime();
    // The hot path: the caller read the status in this transaction (account locked) and knows what it credited.
    if (known?.before.recorded && !upgradeFor(known.before.stored.code, known.before.qualifyingPoints + known.earned, this.rules)) return null;
    const rolling = await this.rollingPoints(m, memberId, nowMs);
    const row = await this.row(m, memberId, true);
    const repo = m.getRepository(MemberTierEntity);
    if (!row) {
      await repo.insert({ memberId, ...tierReached(tierFor(rolling, this.rules.tiers).current.code, nowMs, this.rules), ...NO_PREV, warnedFor: null, version: 0, updatedAt: nowMs });
      return null;
    }
    const to = upgradeFor(row.code, rolling, this.rules);
    if (!to) return null;
    const next = tierReached(to.code, nowMs, this.rules);
    const prev = { prevCode: row.code, prevAchievedAt: row.achievedAt, prevYearFrom: row.yearFrom, prevReviewAt: row.reviewAt };
    const r = await repo.update({ memberId, version: row.version }, { ...next, ...prev, warnedFor: null, version: row.version + 1, updatedAt: nowMs });
    if ((r.affected ?? 0) !== 1) return null; // the tier job moved the row meanwhile: the next earning lifts it
    const from = tierRuleOf(row.code, this.rules.tiers);
    await notify(
      m,
      {
        memberId,
        kind: 'TIER_UP',
        title: `升级为${to.name}会员`,
        body: `恭喜!近 ${this.rules.tierWindowMonths} 个月累计 ${rolling} 积分,您已从${from.name}升级为${to.name}会员,消费积分立即享受 ${pctLabel(to.multiplierPct)} 倍。`,
        dedupeKey: `tier-up:${memberId}:${to.code}:${nowMs}`,
      },
      nowMs,
    );
    return to;
  }

  /** The base-tier row of a new member (written with the member). */
  async create(m: EntityManager, memberId: number, nowMs: number): Promise<void> {
    await m.getRepository(MemberTierEntity).insert({ memberId, ...tierReached(this.rules.tiers[0]!.code, nowMs, this.rules), ...NO_PREV, warnedFor: null, version: 0, updatedAt: nowMs });
  }

  /**
   * After a refund's reversals (the till's refund transaction, account locked): when the last change of the tier
   * was an upgrade made at or after the refunded purchase and the rolling points no longer reach the tier, the
   * upgrade is undone: back to the tier held before it (restored with its own year) when the points say no more,
   * else to what they say, in the same year. Otherwise one purchase, refunded, would buy a year of a tier. One
   * upgrade is undone (the one before it is not remembered); a tier kept or set at its anniversary keeps its word.
   * Told as TIER_DOWN. Returns the tier moved to, if any.
   */
  async afterRefund(m: EntityManager, memberId: number, purchasedAt: number): Promise<TierRule | null> {
    const nowMs = this.clock().getTime();
    const row = await this.row(m, memberId, true);
    if (!row || row.prevCode === null || row.achievedAt < purchasedAt) return null;
    const tiers = this.rules.tiers;
    const held = tierRuleOf(row.code, tiers);
    const rolling = await this.rollingPoints(m, memberId, nowMs);
    if (rolling >= held.minPoints) return null;
    const said = tierFor(rolling, tiers).current;
    const next =
      row.prevCode !== null && tierRank(said.code, tiers) <= tierRank(row.prevCode, tiers)
        ? { code: row.prevCode, achievedAt: row.prevAchievedAt!, yearFrom: row.prevYearFrom!, reviewAt: row.prevReviewAt, ...NO_PREV }
        : { code: said.code, reviewAt: tierRank(said.code, tiers) <= 0 ? null : row.reviewAt }; // the same tier year
    const r = await m.getRepository(MemberTierEntity).update({ memberId, version: row.version }, { ...next, warnedFor: null, version: row.version + 1, updatedAt: nowMs });
    if ((r.affected ?? 0) !== 1) return null;
    const to = tierRuleOf(next.code, tiers);
    await notify(
      m,
      {
        memberId,
        kind: 'TIER_DOWN',
        title: `会员等级调整为${to.name}`,
        body: `订单退款后,近 ${this.rules.tierWindowMonths} 个月累计 ${rolling} 积分,未达到${held.name}所需的 ${held.minPoints} 分,会员等级调整为${to.name}。`,
        dedupeKey: `tier-refund:${memberId}:${row.version}`,
      },
      nowMs,
    );
    return to;
  }

}

export const NO_PREV = { prevCode: null, prevAchievedAt: null, prevYearFrom: null, prevReviewAt: null };

export function toStored(row: MemberTier): StoredTier {
  return { code: row.code, achievedAt: row.achievedAt, yearFrom: row.yearFrom, reviewAt: row.reviewAt };
}

/** Progress from the held tier's floor to the next tier's, on the rolling window's points. */
function progress(current: TierRule, rolling: number, tiers: RulesConfig['tiers']): TierStatus {
  const q = Math.max(0, rolling);
  const next = tiers[tierRank(current.code, tiers) + 1] ?? null;
  if (!next) return { current, next: null, qualifyingPoints: q, pointsToNext: null, progressPct: 100 };
  const span = next.minPoints - current.minPoints;
  const pct = Math.floor(((q - current.minPoints) * 100) / span);
  return { current, next, qualifyingPoints: q, pointsToNext: Math.max(0, next.minPoints - q), progressPct: Math.max(0, Math.min(100, pct)) };
}
