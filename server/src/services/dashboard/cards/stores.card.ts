import { IsNull, Not } from 'typeorm';
import { StoreEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Open stores, and how many are closed. */
export const storesCard: DashboardCard = {
  key: 'stores',
  title: '营业门店',
  async compute({ m }) {
    const repo = m.getRepository(StoreEntity);
    const [open, closed] = await Promise.all([repo.count({ where: { closedAt: IsNull() } }), repo.count({ where: { closedAt: Not(IsNull()) } })]);
    return { value: open, unit: '家', hint: closed > 0 ? `另有 ${closed} 家已关闭` : '全部营业中', tone: 'normal', link: { page: 'stores' } };
  },
};
