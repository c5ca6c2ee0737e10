import { ROLE_NAMES, STAFF_ROLES, type StaffRole } from '@jifen/shared';
import { StaffEntity } from '../../../db/entities';
import type { DashboardCard } from '../card';

/** Enabled staff accounts, with the split by role. */
export const staffAccountsCard: DashboardCard = {
  key: 'staff',
  title: '在岗员工',
  async compute({ m }) {
    const rows = (await m
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .select('s.role', 'role')
      .addSelect('COUNT(*)', 'n')
      .where('s.disabled = :off', { off: false })
      .groupBy('s.role')
      .getRawMany()) as { role: StaffRole; n: number | string }[];
    const by = new Map(rows.map((r) => [r.role, Number(r.n)]));
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    const hint = STAFF_ROLES.filter((r) => by.get(r)).map((r) => `${ROLE_NAMES[r]} ${by.get(r)}`).join(' · ');
    return { value: total, unit: '人', hint: hint || '还没有员工', tone: 'normal', link: { page: 'accounts' } };
  },
};
