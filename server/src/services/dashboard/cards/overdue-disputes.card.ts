import { DisputeEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Disputes still open past their SLA deadline (issue 11 item 2): each one is a promise to a member broken. */
export const overdueDisputesCard: DashboardCard = {
  key: 'disputes-overdue',
  title: '超时未答复申诉',
  async compute({ m, now }) {
    const n = await m.getRepository(DisputeEntity).createQueryBuilder('d').where("d.status = 'open' AND d.due_at < :now", { now: now.getTime() }).getCount();
    return { value: n, unit: '件', hint: n > 0 ? '会员申诉已超过答复时限,请尽快处理' : '所有申诉都在时限内', tone: n > 0 ? 'attention' : 'normal', link: { page: 'disputes', query: { status: 'open' } } };
  },
};
