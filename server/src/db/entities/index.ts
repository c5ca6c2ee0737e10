import { AdjustmentEntity } from './adjustment.entity';
import { AgreementAcceptanceEntity, AgreementDocumentEntity } from './agreement.entity';
import { AdjustmentImportEntity, AdjustmentImportRowEntity } from './adjustment-import.entity';
import { AuditLogEntity } from './audit-log.entity';
import { CampaignEntity, CampaignHistoryEntity } from './campaign.entity';
import { CheckinEntity } from './checkin.entity';
import { CompensationEntity, PointsPlanEntity, RulesVersionEntity, ValueChangeEntity } from './economics.entity';
import { DisputeEntity } from './dispute.entity';
import { CouponEntity, MemberOfferEntity } from './coupon.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';
import { LoginThrottleEntity } from './login-throttle.entity';
import { LotMovementEntity } from './lot-movement.entity';
import { MemberAccountEntity } from './member-account.entity';
import { MemberCodeUseEntity } from './member-code-use.entity';
import { MemberEntity } from './member.entity';
import { MemberTierEntity } from './member-tier.entity';
import { NotificationEntity, WxConsentEntity } from './notification.entity';
import { PointsLotEntity } from './points-lot.entity';
import { PurchaseEntity } from './purchase.entity';
import { RedemptionEntity } from './redemption.entity';
import { RefundEntity } from './refund.entity';
import { RewardEntity, RewardPriceHistoryEntity, RewardStockMovementEntity } from './reward.entity';
import { StaffEntity } from './staff.entity';
import { StoreEntity } from './store.entity';
import { TaskCompletionEntity } from './task-completion.entity';
import { SurveyEntity, SurveyResponseEntity } from './survey.entity';
import { CardBindingEntity, OrderReviewEntity } from './order-review.entity';

export const ENTITIES = [
  StoreEntity,
  StaffEntity,
  MemberEntity,
  MemberAccountEntity,
  MemberTierEntity,
  LedgerEntryEntity,
  PointsLotEntity,
  LotMovementEntity,
  IdempotencyRecordEntity,
  CheckinEntity,
  RewardEntity,
  RewardPriceHistoryEntity,
  RewardStockMovementEntity,
  RedemptionEntity,
  PurchaseEntity,
  RefundEntity,
  MemberCodeUseEntity,
  CampaignEntity,
  CampaignHistoryEntity,
  TaskCompletionEntity,
  NotificationEntity,
  LoginThrottleEntity,
  AuditLogEntity,
  AdjustmentEntity,
  AdjustmentImportEntity,
  AdjustmentImportRowEntity,
  RulesVersionEntity,
  ValueChangeEntity,
  CompensationEntity,
  PointsPlanEntity,
  SurveyEntity,
  SurveyResponseEntity,
  OrderReviewEntity,
  CardBindingEntity,
  AgreementDocumentEntity,
  AgreementAcceptanceEntity,
  DisputeEntity,
  CouponEntity,
  MemberOfferEntity,
  WxConsentEntity,
];

export * from './adjustment.entity';
export * from './agreement.entity';
export * from './adjustment-import.entity';
export * from './audit-log.entity';
export * from './campaign.entity';
export * from './checkin.entity';
export * from './economics.entity';
export * from './dispute.entity';
export * from './coupon.entity';
export * from './idempotency-record.entity';
export * from './ledger-entry.entity';
export * from './login-throttle.entity';
export * from './lot-movement.entity';
export * from './member-account.entity';
export * from './member-code-use.entity';
export * from './member.entity';
export * from './member-tier.entity';
export * from './notification.entity';
export * from './points-lot.entity';
export * from './purchase.entity';
export * from './redemption.entity';
export * from './refund.entity';
export * from './reward.entity';
export * from './staff.entity';
export * from './store.entity';
export * from './task-completion.entity';
export * from './survey.entity';
export * from './order-review.entity';
