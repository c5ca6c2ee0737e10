import { Initial1732300000000 } from './1732300000000-initial';
import { StaffSessionsAudit1733000000000 } from './1733000000000-staff-sessions-audit';
import { MemberPhoneAdjustments1733400000000 } from './1733400000000-member-phone-adjustments';
import { StaffStoresAdmin1733500000000 } from './1733500000000-staff-stores-admin';
import { LedgerRollups1734800000000 } from './1734800000000-ledger-rollups';
import { LedgerMemberTime1734800000001 } from './1734800000001-ledger-member-time';

/** Every migration, in order. Schema changes only ever land here (synchronize stays off). */
export const MIGRATIONS = [Initial1732300000000, StaffSessionsAudit1733000000000, MemberPhoneAdjustments1733400000000, StaffStoresAdmin1733500000000, LedgerRollups1734800000000, LedgerMemberTime1734800000001];
