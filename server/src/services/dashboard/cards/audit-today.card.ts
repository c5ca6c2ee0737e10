import { AuditLogEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Audit entries written today (local day): every staff write and failed login. */
export const auditTodayCard: DashboardCard = {
  key: 'audit-today',
  title: '今日操作记录',
  async compute({ m, todayStartMs, today }) {
    const n = await m.getRepository(AuditLogEntity).createQueryBuilder('a').where('a.created_at >= :from', { from: todayStartMs }).getCount();
    return { value: n, unit: '条', hint: '员工的每次后台写操作和失败登录', tone: 'normal', link: { page: 'audit', query: { from: today } } };
  },
};
