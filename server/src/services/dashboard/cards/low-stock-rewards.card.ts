import { REWARD_LOW_STOCK_AT } from '@jifen/shared';
import { RewardEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Rewards on the shelf with little stock left (issue 9 item 8): restock or let them sell out. */
export const lowStockRewardsCard: DashboardCard = {
  key: 'rewards-low-stock',
  title: '库存紧张',
  roles: ['admin', 'marketing'],
  async compute({ m }) {
    const n = await m
      .getRepository(RewardEntity)
      .createQueryBuilder('r')
      .where('r.status = :s', { s: 'on_sale' })
      .andWhere('r.stock <= :low', { low: REWARD_LOW_STOCK_AT })
      .getCount();
    return {
      value: n,
      unit: '件商品',
      hint: n > 0 ? `在售商品库存不超过 ${REWARD_LOW_STOCK_AT}` : '在售商品库存充足',
      tone: n > 0 ? 'attention' : 'normal',
      link: { page: 'rewards', query: { lowStock: '1' } },
    };
  },
};
