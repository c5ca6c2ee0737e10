import type { DashboardCard } from '../card';
import { staffAccountsCard } from './staff-accounts.card';
import { disabledAccountsCard } from './disabled-accounts.card';
import { storesCard } from './stores.card';
import { auditTodayCard } from './audit-today.card';
import { failedLoginsTodayCard } from './failed-logins-today.card';
import { pendingAdjustmentsCard } from './pending-adjustments.card';
import { lowStockRewardsCard } from './low-stock-rewards.card';
import { endingRewardsCard } from './ending-rewards.card';
import { overdueDisputesCard } from './overdue-disputes.card';
import { pricingNoticesCard } from './pricing-notices.card';

/**
 * The dashboard's cards, in display order (a role sees those naming it; admin those naming none). A new card
 * is a new file in this folder and one line here (pending approvals, low stock, disputes... come from their
 * own capabilities).
 */
export const DASHBOARD_CARDS: DashboardCard[] = [
  overdueDisputesCard,
  pendingAdjustmentsCard,
  pricingNoticesCard,
  lowStockRewardsCard,
  endingRewardsCard,
  failedLoginsTodayCard,
  staffAccountsCard,
  disabledAccountsCard,
  storesCard,
  auditTodayCard,
];
