import type { EntityManager } from 'typeorm';
import { REWARD_REFRESH_DAYS, anchorDeviationBp, anchorPointsFor, formatBp, outsideAnchorBand, type RulesConfig } from '@jifen/shared';
import { AuditLogEntity, RewardEntity, RewardPriceHistoryEntity } from '../db/entities';
import { priceNow } from './reward-pricing';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rewards part of the finance report (issue 10.1, 10.2): prices in force outside the anchor band with the
 * reason marketing gave; rewards unchanged for REWARD_REFRESH_DAYS (due for a refresh, 赠品迭代); rewards the
 * system retired because their price in force fell below cost (the notice to marketing).
 */
export async function rewardPricingFigures(m: EntityManager, rules: RulesConfig, nowMs: number, max: number) {
  const anchor = rules.anchor;
  const band = rules.anchorBandPct;
  const shelf = await m.getRepository(RewardEntity).createQueryBuilder('r').where("r.status <> 'retired'").orderBy('r.id', 'ASC').limit(max).getMany();
  const off = shelf.map((r) => ({ r, price: priceNow(r, nowMs) })).filter(({ r, price }) => outsideAnchorBand(price, r.faceValueFen, anchor, band));
  const reasons = new Map<number, string>();
  if (off.length > 0) {
    const rows = await m
      .getRepository(RewardPriceHistoryEntity)
      .createQueryBuilder('h')
      .where('h.reward_id IN (:...ids)', { ids: off.map((o) => o.r.id) })
      .orderBy('h.id', 'ASC')
      .getMany();
    for (const h of rows) reasons.set(h.rewardId, h.reason);
  }
  const offAnchorRewards = off
    .map(({ r, price }) => {
      const bp = anchorDeviationBp(price, r.faceValueFen, anchor);
      return { id: r.id, title: r.title, status: r.status, pointsPrice: price, faceValueFen: r.faceValueFen, anchorPoints: anchorPointsFor(r.faceValueFen, anchor), deviation: { bp, pct: formatBp(bp) }, reason: reasons.get(r.id) ?? '' };
    })
    .sort((a, b) => Math.abs(b.deviation.bp ?? 1e9) - Math.abs(a.deviation.bp ?? 1e9));
  const staleBefore = nowMs - REWARD_REFRESH_DAYS * DAY_MS;
  const refreshDue = shelf.filter((r) => r.updatedAt <= staleBefore).map((r) => ({ id: r.id, title: r.title, status: r.status, updatedAt: iso(r.updatedAt) }));
  const audits = await m.getRepository(AuditLogEntity).find({ where: { action: 'reward.retired_below_cost' }, order: { id: 'DESC' }, take: max });
  const ids = audits.map((a) => Number(a.targetId));
  const titles = new Map(ids.length ? (await m.getRepository(RewardEntity).createQueryBuilder('r').where('r.id IN (:...ids)', { ids }).getMany()).map((r) => [r.id, r.title]) : []);
  const retiredBelowCost = audits.map((a) => ({ id: Number(a.targetId), title: titles.get(Number(a.targetId)) ?? '', retiredAt: iso(a.createdAt) }));
  return { offAnchorRewards, refreshDue, retiredBelowCost };
}
