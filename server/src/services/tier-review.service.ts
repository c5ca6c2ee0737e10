import type { EntityManager } from 'typeorm';
import { formatLocal, retentionFigure, retentionText, reviewTier, tierFor, tierReached, tierRuleOf, type RulesConfig } from '@jifen/shared';
import { MemberEntity, MemberTierEntity, type MemberTier } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { notify } from './outbox';
import { MemberTiers, NO_PREV, QUALIFYING_CODES, toStored } from './member-tier';

export interface TierRunResult {
  /** Members from before stored tiers given the tier the rules say (the backfill). */
  backfilled: number;
  kept: number;
  dropped: number;
  /** "再得 N 分保级" notices written (once per member and tier year). */
  warned: number;
}

/**
 * The tier job (保级, issue 11.4; server interval, `npm run tiers`): backfill, anniversaries due, warnings.
 * Each step pages by member id in bounded batches and is idempotent: a review applies only to the row state it
 * read (version guard) and is told once (dedupe key per anniversary), so a second run changes nothing; the
 * warning is sent once per tier year (`warned_for` = the anniversary warned about).
 */
export class TierReviewService {
  static readonly PAGE = 200;
  /** Reviews of one member in one run at most (a tier year each): a server off for decades still ends. */
  static readonly OVERDUE_MAX = 50;

  private readonly tiers: MemberTiers;

  constructor(private readonly tx: TxRunner, private readonly rules: RulesConfig, private readonly clock: Clock) {
    this.tiers = new MemberTiers(tx, rules, clock);
  }

  async run(opts: { batchesMax?: number } = {}): Promise<TierRunResult> {
    const batchesMax = opts.batchesMax ?? 1000;
    const result: TierRunResult = { backfilled: await this.backfill(batchesMax), kept: 0, dropped: 0, warned: 0 };
    await this.review(batchesMax, result);
    result.warned = await this.warn(batchesMax);
    return result;
  }

  /** Members without a stored tier get what the rules say now; the anniversary is a tier year from now. */
  async backfill(batchesMax = 1000): Promise<number> {
    let done = 0;
    let after = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
      const rows = (await this.tx.manager
        .getRepository(MemberEntity)
        .createQueryBuilder('mb')
        .select('mb.id', 'id')
        .leftJoin('member_tier', 't', 't.member_id = mb.id')
        .where('t.member_id IS NULL AND mb.id > :after', { after })
        .orderBy('mb.id', 'ASC')
        .limit(TierReviewService.PAGE)
        .getRawMany()) as { id: number | string }[];
      if (rows.length === 0) break;
      const nowMs = this.clock().getTime();
      for (const r of rows) {
        const memberId = Number(r.id);
        after = memberId;
        try {
          await this.tx.run(async (m) => {
            const rolling = await this.tiers.rollingPoints(m, memberId, nowMs);
            const stored = tierReached(tierFor(rolling, this.rules.tiers).current.code, nowMs, this.rules);
            await m.getRepository(MemberTierEntity).insert({ memberId, ...stored, ...NO_PREV, warnedFor: null, version: 0, updatedAt: nowMs });
          });
          done += 1;
        } catch (e) {
          if (!isUniqueViolation(e)) throw e; // an earning wrote the row just now
        }
      }
    }
    return done;
  }

  /** Anniversaries due: keep or drop on the tier year's points; each member told once per anniversary. */
  private async review(batchesMax: number, result: TierRunResult): Promise<void> {
    let after = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
      const nowMs = this.clock().getTime();
      const due = await this.tx.manager
        .getRepository(MemberTierEntity)
        .createQueryBuilder('t')
        .where('t.review_at IS NOT NULL AND t.review_at <= :now AND t.member_id > :after', { now: nowMs, after })
        .orderBy('t.member_id', 'ASC')
        .limit(TierReviewService.PAGE)
        .getMany();
      if (due.length === 0) break;
      after = due[due.length - 1]!.memberId;
      const points = await this.yearPointsOf(due);
      await this.tx.run(async (m) => {
        for (const row of due) {
          // A member several anniversaries behind (the server was off) is brought up to date now: one review
          // per tier year, in order, each stored (version + 1) and told, until the anniversary is in the future.
          let cur = row;
          let yearPoints = points.get(row.memberId) ?? 0;
          for (let n = 0; n < TierReviewService.OVERDUE_MAX; n++) {
            const r = reviewTier(toStored(cur), yearPoints, this.rules);
            const next = { ...r.next, ...NO_PREV, version: cur.version + 1, updatedAt: nowMs };
            const upd = await m.getRepository(MemberTierEntity).update({ memberId: cur.memberId, version: cur.version }, next); // a review settles the year
            if ((upd.affected ?? 0) !== 1) break; // moved meanwhile (an upgrade, another instance): nothing to apply
            if (r.outcome === 'keep') result.kept += 1;
            else result.dropped += 1;
            await notify(m, this.reviewNotice(cur, r), nowMs);
            if (r.next.reviewAt === null || r.next.reviewAt > nowMs) break;
            cur = { ...cur, ...next };
            yearPoints = await this.tiers.yearPoints(m, cur.memberId, r.next, nowMs);
          }
        }
      });
    }
  }

  private reviewNotice(row: MemberTier, r: ReturnType<typeof reviewTier>) {
    const date = formatLocal(new Date(r.next.yearFrom), this.rules.timezone, 'YYYY年M月D日');
    const dedupeKey = `tier-review:${row.memberId}:${row.reviewAt}`;
    if (r.outcome === 'keep') {
      return { memberId: row.memberId, kind: 'TIER_KEPT' as const, title: `已保级${r.from.name}会员`, body: `过去一年累计 ${r.yearPoints} 积分,${date}起继续享受${r.from.name}会员权益一年。`, dedupeKey };
    }
    return {
      memberId: row.memberId,
      kind: 'TIER_DOWN' as const,
      title: `会员等级调整为${r.to.name}`,
      body: `过去一年累计 ${r.yearPoints} 积分,未达到${r.from.name}保级所需的 ${r.from.minPoints} 分,${date}起调整为${r.to.name}会员。近 ${this.rules.tierWindowMonths} 个月累计满 ${r.from.minPoints} 分即可立即恢复。`,
      dedupeKey,
    };
  }

  /** "再得 N 分保级": members inside the warn window not yet warned for this anniversary, once each. */
  async warn(batchesMax = 1000): Promise<number> {
    let warned = 0;
    let after = 0;
    for (let batch = 0; batch < batchesMax; batch++) {
      const now = this.clock();
      const nowMs = now.getTime();
      const horizon = nowMs + (this.rules.tierRetention.warnDays + 1) * 86_400_000;
      const rows = await this.tx.manager
        .getRepository(MemberTierEntity)
        .createQueryBuilder('t')
        .where('t.review_at > :now AND t.review_at <= :horizon AND t.member_id > :after', { now: nowMs, horizon, after })
        .andWhere('(t.warned_for IS NULL OR t.warned_for <> t.review_at)')
        .orderBy('t.member_id', 'ASC')
        .limit(TierReviewService.PAGE)
        .getMany();
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.memberId;
      const points = await this.yearPointsOf(rows);
      const todo = rows.flatMap((row) => {
        const f = retentionFigure(toStored(row), points.get(row.memberId) ?? 0, now, this.rules);
        return f?.atRisk ? [{ row, f }] : [];
      });
      if (todo.length === 0) continue;
      await this.tx.run(async (m: EntityManager) => {
        for (const { row, f } of todo) {
          const upd = await m.getRepository(MemberTierEntity).update({ memberId: row.memberId, version: row.version }, { warnedFor: row.reviewAt, version: row.version + 1, updatedAt: nowMs });
          if ((upd.affected ?? 0) !== 1) continue;
          const tier = tierRuleOf(row.code, this.rules.tiers);
          const date = formatLocal(new Date(row.reviewAt!), this.rules.timezone, 'M月D日');
          await notify(
            m,
            {
              memberId: row.memberId,
              kind: 'TIER_AT_RISK',
              title: retentionText(tier.name, f.pointsNeeded),
              body: `您的${tier.name}会员将于 ${date} 到期复核:${date}前${retentionText(tier.name, f.pointsNeeded)},否则将调整会员等级。`,
              dedupeKey: `tier-risk:${row.memberId}:${row.reviewAt}`,
            },
            nowMs,
          );
          warned += 1;
        }
      });
    }
    return warned;
  }

  /** Each row's tier-year qualifying points (after year_from, up to the anniversary), in one grouped query. */
  private async yearPointsOf(rows: MemberTier[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (rows.length === 0) return out;
    const sums = (await this.tx.manager
      .getRepository(MemberTierEntity)
      .createQueryBuilder('t')
      .select('t.member_id', 'memberId')
      .addSelect('COALESCE(SUM(e.delta), 0)', 'points')
      .innerJoin('ledger_entry', 'e', 'e.member_id = t.member_id AND e.created_at > t.year_from AND e.created_at <= t.review_at AND e.code IN (:...codes)', { codes: QUALIFYING_CODES })
      .where('t.member_id IN (:...ids)', { ids: rows.map((r) => r.memberId) })
      .groupBy('t.member_id')
      .getRawMany()) as { memberId: number | string; points: number | string }[];
    for (const s of sums) out.set(Number(s.memberId), Number(s.points));
    return out;
  }
}
