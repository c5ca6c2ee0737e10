import { REWARD_ENDING_SOON_DAYS } from '@jifen/shared';
import { RewardEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

const SOON_MS = REWARD_ENDING_SOON_DAYS * 86_400_000;

/** Rewards on the shelf whose sale ends within 7 days (issue 9 item 8): extend them or plan what follows. */
export const endingRewardsCard: DashboardCard = {
  key: 'rewards-ending',
  title: '即将下架',
  roles: ['admin', 'marketing'],
  async compute({ m, now }) {
    const nowMs = now.getTime();
    const n = await m
      .getRepository(RewardEntity)
      .createQueryBuilder('r')
      .where('r.status = :s', { s: 'on_sale' })
      .andWhere('r.ends_at IS NOT NULL AND r.ends_at > :now AND r.ends_at <= :soon', { now: nowMs, soon: nowMs + SOON_MS })
      .getCount();
    return {
      value: n,
      unit: '件商品',
      hint: n > 0 ? '7 天内结束兑换的在售商品' : '7 天内没有结束兑换的商品',
      tone: n > 0 ? 'attention' : 'normal',
      link: { page: 'rewards', query: { status: 'on_sale', ending: '1' } },
    };
  },
};
