import { StaffEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Disabled staff accounts (kept for the audit trail; they cannot sign in). */
export const disabledAccountsCard: DashboardCard = {
  key: 'staff-disabled',
  title: '已停用账号',
  async compute({ m }) {
    const n = await m.getRepository(StaffEntity).count({ where: { disabled: true } });
    return { value: n, unit: '个', hint: n > 0 ? '停用的账号不能登录,可随时启用' : '没有停用的账号', tone: 'normal', link: { page: 'accounts', query: { status: 'disabled' } } };
  },
};
