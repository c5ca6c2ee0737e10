import { AdjustmentEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Service adjustments above the approval size, waiting for an admin (issue 9 item 4): the approval queue. */
export const pendingAdjustmentsCard: DashboardCard = {
  key: 'adjustments-pending',
  title: '待审批调整',
  async compute({ m }) {
    const n = await m.getRepository(AdjustmentEntity).count({ where: { status: 'pending' } });
    return { value: n, unit: '笔', hint: n > 0 ? '客服提交的大额积分调整,等待管理员审批' : '没有待审批的调整', tone: n > 0 ? 'attention' : 'normal', link: { page: 'approvals' } };
  },
};
