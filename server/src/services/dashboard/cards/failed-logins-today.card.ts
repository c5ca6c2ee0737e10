import { AuditLogEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Failed staff logins today (local day): worth a look when there are any. */
export const failedLoginsTodayCard: DashboardCard = {
  key: 'failed-logins-today',
  title: '今日登录失败',
  async compute({ m, todayStartMs, today }) {
    const n = await m
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where('a.action = :action', { action: 'staff.login_failed' })
      .andWhere('a.created_at >= :from', { from: todayStartMs })
      .getCount();
    return {
      value: n,
      unit: '次',
      hint: n > 0 ? '密码错误、账号停用或用户名不存在' : '今天没有失败的登录',
      tone: n > 0 ? 'attention' : 'normal',
      link: { page: 'audit', query: { action: 'staff.login_failed', from: today } },
    };
  },
};
