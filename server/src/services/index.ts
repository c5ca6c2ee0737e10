import type { DataSource } from 'typeorm';
import path from 'node:path';
import { ROOT_DIR, type AppConfig } from '../config';
import type { Clock } from '../clock';
import { TxRunner } from '../db/transaction';
import { DevWechatAdapter, RealWechatAdapter, type WechatAdapter } from '../adapters/wechat.adapter';
import { CampaignBudgetService } from './campaign-budget.service';
import { CheckinsService } from './checkins.service';
import { ExpiryService } from './expiry.service';
import { IdempotencyService } from './idempotency.service';
import { LedgerService } from './ledger.service';
import { MembersService } from './members.service';
import { RewardsService } from './rewards.service';
import { TokenService } from './tokens.service';
import { MemberCodeService } from './member-code.service';
import { TillService } from './till.service';
import { TillPointsService } from './till-points.service';
import { StaffService } from './staff.service';
import { TasksService } from './tasks.service';
import { InvitesService } from './invites.service';
import { SurveysService } from './surveys.service';
import { CampaignsService } from './campaigns.service';
import { ReportsService } from './reports.service';
import { RollupService } from './rollups.service';
import { NotificationsService } from './notifications.service';
import { AuditService } from './audit.service';
import { StoresService } from './stores.service';
import { StaffAdminService } from './staff-admin.service';
import { AuditQueryService } from './audit-query.service';
import { DashboardService } from './dashboard/dashboard.service';
import { PhoneService } from './phone.service';
import { AdjustmentsService } from './adjustments.service';
import { MemberAdminService } from './member-admin.service';
import { AdjustmentImportsService } from './adjustment-imports.service';
import { RateLimitService } from './rate-limit.service';
import { RulesVersionService } from './rules-version.service';
import { ValueChangesService } from './value-changes.service';
import { EconomyJobService } from './economy-job.service';
import { UploadsService } from './uploads.service';
import { PrivateUploadsService } from './private-uploads.service';
import { RewardsAdminService } from './rewards-admin.service';
import { EconomyService } from './economy.service';
import { FinanceService } from './finance.service';
import { AgreementsService } from './agreements.service';
import { DisputesService } from './disputes.service';
import { TaskCenterService } from './task-center.service';
import { CouponsService } from './coupons.service';
import { CharityService } from './charity.service';
import { SubscriptionsService } from './subscriptions.service';
import { OutboxDeliveryService } from './outbox-delivery.service';
import { TierReviewService } from './tier-review.service';
import { DevSubscribeSender, RealSubscribeSender, type SubscribeSender } from '../adapters/wechat-subscribe.adapter';
import { RealWechatAdapter as RealWechat } from '../adapters/wechat.adapter';

/** Wires every service once; routers receive this and nothing else. */
export function createServices(ds: DataSource, config: AppConfig, clock: Clock, wechat?: WechatAdapter, subscribeSender?: SubscribeSender) {
  const tx = new TxRunner(ds);
  const rules = config.rules;
  // Rules versioned in the database (issue 10): this keeps the one rules object equal to the version in force.
  const rulesVersions = new RulesVersionService(tx, rules, clock);
  const ledger = new LedgerService(tx, rules, clock, rulesVersions);
  const idempotency = new IdempotencyService(tx, clock);
  const members = new MembersService(tx, rules, clock);
  const campaignBudget = new CampaignBudgetService(tx);
  const memberCodes = new MemberCodeService(config.memberCodeSecret, clock);
  // Earning channels beyond purchase (issue 4 items 7-8). The invite reward rides on the invitee's first
  // purchase: the till runs this hook inside that purchase, then its after-commit step (the inviter's reward).
  const tillPoints = new TillPointsService(ledger, memberCodes, rules, clock);
  const till = new TillService(ledger, members, campaignBudget, memberCodes, idempotency, tillPoints, rules, clock);
  // The card-number hash is keyed with the member-code secret (a server secret that never leaves it).
  const tasks = new TasksService(ledger, rules, clock, config.memberCodeSecret);
  const invites = new InvitesService(ledger, tasks, rules, clock);
  till.onFirstPurchase(invites.onFirstPurchase);
  // Issue 8.5: an order refunded in full inside its return window takes back the review and invite rewards it carried.
  till.onRefund(tasks.onRefund);
  const wechatAdapter =
    wechat ??
    (config.wechat.mode === 'dev'
      ? new DevWechatAdapter()
      : new RealWechatAdapter(config.wechat.appId!, config.wechat.secret!, config.wechat.apiBase, undefined, () => clock().getTime()));
  const audit = new AuditService(clock);
  const staff = new StaffService(tx, clock);
  const adjustments = new AdjustmentsService(tx, ledger, idempotency, audit, rules, clock);
  const valueChanges = new ValueChangesService(tx, ledger, rulesVersions, audit, rules, clock);
  const uploads = new UploadsService(tx, audit, config.dataDir);
  const privateUploads = new PrivateUploadsService(config.dataDir, config.jwtSecret, clock);
  const economy = new EconomyService(tx, rulesVersions, audit, rules, clock);
  const surveys = new SurveysService(tx, audit, clock);
  const rollups = new RollupService(tx, rules, clock);
  const reports = new ReportsService(tx, rules, clock, rollups);
  const coupons = new CouponsService(tx, audit, rules, clock);
  // Notices that arrive (issue 11.5): dev mode writes subscribe messages to a log file, real mode calls WeChat.
  const sender =
    subscribeSender ??
    (config.wechat.mode === 'dev'
      ? new DevSubscribeSender(config.wechat.messageLog ?? path.join(ROOT_DIR, 'data/wechat-messages.log'), () => clock().getTime())
      : new RealSubscribeSender(wechatAdapter, config.wechat.apiBase ?? RealWechat.DEFAULT_API_BASE));
  return {
    ds,
    tx,
    config,
    rules,
    clock,
    wechat: wechatAdapter,
    tokens: new TokenService(config.jwtSecret, clock),
    rateLimits: new RateLimitService(config.rateLimits, clock),
    ledger,
    rulesVersions,
    idempotency,
    members,
    campaignBudget,
    checkins: new CheckinsService(ledger, members, campaignBudget, rules, clock),
    rewards: new RewardsService(ledger, members, idempotency, rules, clock, audit),
    expiry: new ExpiryService(ledger, rules, clock, coupons),
    // Expiry that gives back (issue 11.3): coupons from expired points, the charity pool.
    coupons,
    charity: new CharityService(ledger, idempotency, rules, clock),
    subscriptions: new SubscriptionsService(tx, ledger, idempotency, rules, clock),
    outbox: new OutboxDeliveryService(tx, sender, rules, clock),
    memberCodes,
    staff,
    till,
    tillPoints,
    tasks,
    invites,
    surveys,
    campaigns: new CampaignsService(tx, members, campaignBudget, idempotency, rules, clock),
    rollups,
    reports,
    finance: new FinanceService(tx, reports, rulesVersions, rules, clock),
    notifications: new NotificationsService(tx, clock),
    audit,
    stores: new StoresService(tx, audit, clock),
    // The staff and stores back office, the audit trail and the admin dashboard (issues 8 and 9).
    staffAdmin: new StaffAdminService(tx, staff, audit, clock),
    auditQuery: new AuditQueryService(tx, rules.timezone),
    dashboard: new DashboardService(tx, rules.timezone, clock),
    // Members, adjustments with approval and bulk imports (issue 9 items 3-5).
    phone: new PhoneService(tx, () => wechatAdapter, clock),
    adjustments,
    memberAdmin: new MemberAdminService(tx, members, adjustments, rules, clock),
    adjustmentImports: new AdjustmentImportsService(tx, ledger, audit, clock),
    // Points economics (issue 10).
    valueChanges,
    economy,
    economyJob: new EconomyJobService(valueChanges, economy, { tx, audit, rules, clock }),
    // The rewards catalogue and image uploads (issue 9 items 1-2).
    uploads,
    // Members' private uploads (dispute screenshots), read only at signed, expiring URLs.
    privateUploads,
    rewardsAdmin: new RewardsAdminService(tx, uploads, idempotency, audit, rules, clock),
    // The member's life (issue 11): the agreement at registration.
    agreements: new AgreementsService(tx, ledger, audit, rules, clock),
    // Disputes with a 7-day answer (item 2); an answer's adjustment goes through the back office's adjustments.
    // The 任务中心 (item 6): the channels' state, read from the rows the task routes write.
    taskCenter: new TaskCenterService(tx, invites, surveys, rules, clock),
    disputes: new DisputesService(tx, ledger, adjustments, idempotency, audit, rules, clock, privateUploads),
    // Tiers that keep their word (item 4): backfill, anniversaries (keep/drop) and the 30-day warning.
    tiers: new TierReviewService(tx, rules, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
