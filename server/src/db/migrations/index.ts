import { Initial1732300000000 } from './1732300000000-initial';
import { StaffSessionsAudit1733000000000 } from './1733000000000-staff-sessions-audit';
import { MemberPhoneAdjustments1733400000000 } from './1733400000000-member-phone-adjustments';
import { StaffStoresAdmin1733500000000 } from './1733500000000-staff-stores-admin';
import { TillPoints1734200000000 } from './1734200000000-till-points';
import { NoFreePoints1734210000000 } from './1734210000000-no-free-points';
import { RewardsCatalogue1734300000000 } from './1734300000000-rewards-catalogue';
import { PointsEconomics1734500000000 } from './1734500000000-points-economics';
import { Agreement1734600000000 } from './1734600000000-agreement';
import { Disputes1734610000000 } from './1734610000000-disputes';
import { ExpiryGiveback1734700000000 } from './1734700000000-expiry-giveback';
import { NoticeOutbox1734700000001 } from './1734700000001-notice-outbox';
import { LedgerRollups1734800000000 } from './1734800000000-ledger-rollups';
import { LedgerMemberTime1734800000001 } from './1734800000001-ledger-member-time';
import { PriceSchedule1734900000000 } from './1734900000000-price-schedule';
import { MemberTier1735000000000 } from './1735000000000-member-tier';
import { JobLease1735300000000 } from './1735300000000-job-lease';
import { QualifyingMonths1735700000000 } from './1735700000000-qualifying-months';
import { AccountRollups1735800000000 } from './1735800000000-account-rollups';
import { LotMemberCover1735800000001 } from './1735800000001-lot-member-cover';

/** Every migration, in order (one a line, sorted by timestamp). Schema changes only ever land here (synchronize stays off). */
export const MIGRATIONS = [
  Initial1732300000000,
  StaffSessionsAudit1733000000000,
  MemberPhoneAdjustments1733400000000,
  StaffStoresAdmin1733500000000,
  TillPoints1734200000000,
  NoFreePoints1734210000000,
  RewardsCatalogue1734300000000,
  PointsEconomics1734500000000,
  Agreement1734600000000,
  Disputes1734610000000,
  ExpiryGiveback1734700000000,
  NoticeOutbox1734700000001,
  LedgerRollups1734800000000,
  LedgerMemberTime1734800000001,
  PriceSchedule1734900000000,
  MemberTier1735000000000,
  JobLease1735300000000,
  QualifyingMonths1735700000000,
  AccountRollups1735800000000,
  LotMemberCover1735800000001,
];
