import { REWARD_REFRESH_DAYS, formatLocal, type DashboardItemDto } from '@jifen/shared';
import { AuditLogEntity, RewardEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

const DAY_MS = 86_400_000;
/** Retirements below cost stay on the card this long (while the reward is still retired). */
export const BELOW_COST_NOTICE_DAYS = 30;
/** Lines listed per kind; the value counts them all. */
const ITEMS_MAX = 5;

/**
 * The notice to marketing (issue 10.2, 10.5): rewards the system retired because their price in force fell below
 * cost (still retired, in the last 30 days) and rewards unchanged for six months (due for a refresh), each linking
 * to its reward form. The finance report on 积分经济 keeps the full lists.
 */
export const pricingNoticesCard: DashboardCard = {
  key: 'rewards-pricing',
  title: '商品定价提醒',
  roles: ['admin', 'marketing'],
  async compute({ m, now, timezone }) {
    const nowMs = now.getTime();
    const audits = await m
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where("a.action = 'reward.retired_below_cost' AND a.created_at >= :since", { since: nowMs - BELOW_COST_NOTICE_DAYS * DAY_MS })
      .orderBy('a.id', 'DESC')
      .getMany();
    const ids = [...new Set(audits.map((a) => Number(a.targetId)))];
    const retired = ids.length ? await m.getRepository(RewardEntity).createQueryBuilder('r').where("r.id IN (:...ids) AND r.status = 'retired'", { ids }).getMany() : [];
    const byId = new Map(retired.map((r) => [r.id, r]));
    const atOf = new Map<number, number>();
    for (const a of audits) if (!atOf.has(Number(a.targetId))) atOf.set(Number(a.targetId), a.createdAt);
    const below = ids.filter((id) => byId.has(id));
    const staleQb = m.getRepository(RewardEntity).createQueryBuilder('r').where("r.status <> 'retired' AND r.updated_at <= :before", { before: nowMs - REWARD_REFRESH_DAYS * DAY_MS });
    const [stale, staleCount] = await staleQb.orderBy('r.updated_at', 'ASC').addOrderBy('r.id', 'ASC').take(ITEMS_MAX).getManyAndCount();
    const link = (id: number) => ({ page: 'reward-edit', query: { id: String(id) } });
    const items: DashboardItemDto[] = [
      ...below.slice(0, ITEMS_MAX).map((id) => ({ text: byId.get(id)!.title, note: `${formatLocal(new Date(atOf.get(id)!), timezone, 'M月D日')} 低于成本自动下架`, link: link(id) })),
      ...stale.map((r) => ({ text: r.title, note: `${formatLocal(new Date(r.updatedAt), timezone, 'YYYY年M月D日')}起未更新,该换新了`, link: link(r.id) })),
    ];
    const n = below.length + staleCount;
    const parts = [below.length ? `${below.length} 件低于成本已下架` : '', staleCount ? `${staleCount} 件半年未更新` : ''].filter(Boolean);
    return {
      value: n,
      unit: '件商品',
      hint: n > 0 ? parts.join(' · ') : '没有低于成本或待更新的商品',
      tone: below.length > 0 ? 'attention' : 'normal',
      link: { page: 'economics' },
      items,
    };
  },
};
