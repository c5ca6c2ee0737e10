import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
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
import { StaffService } from './staff.service';
import { TasksService } from './tasks.service';
import { CampaignsService } from './campaigns.service';
import { ReportsService } from './reports.service';
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
import { AgreementsService } from './agreements.service';
import { DisputesService } from './disputes.service';
import { TaskCenterService } from './task-center.service';

/** Wires every service once; routers receive this and nothing else. */
export function createServices(ds: DataSource, config: AppConfig, clock: Clock, wechat?: WechatAdapter) {
  const tx = new TxRunner(ds);
  const rules = config.rules;
  const ledger = new LedgerService(tx, rules, clock);
  const idempotency = new IdempotencyService(tx, clock);
  const members = new MembersService(tx, rules, clock);
  const campaignBudget = new CampaignBudgetService(tx);
  const memberCodes = new MemberCodeService(config.memberCodeSecret, clock);
  // Earning channels beyond purchase (issue 4 items 7-8). The invite reward rides on the invitee's first
  // purchase: the till runs this hook inside that purchase, then its after-commit step (the inviter's reward).
  const till = new TillService(ledger, members, campaignBudget, memberCodes, idempotency, rules, clock);
  const tasks = new TasksService(ledger, rules, clock);
  till.onFirstPurchase(tasks.onFirstPurchase);
  const wechatAdapter =
    wechat ??
    (config.wechat.mode === 'dev'
      ? new DevWechatAdapter()
      : new RealWechatAdapter(config.wechat.appId!, config.wechat.secret!, config.wechat.apiBase, undefined, () => clock().getTime()));
  const audit = new AuditService(clock);
  const staff = new StaffService(tx, clock);
  const adjustments = new AdjustmentsService(tx, ledger, idempotency, audit, rules, clock);
  return {
    ds,
    tx,
    config,
    rules,
    clock,
    wechat: wechatAdapter,
    tokens: new TokenService(config.jwtSecret, clock),
    ledger,
    idempotency,
    members,
    campaignBudget,
    checkins: new CheckinsService(ledger, members, campaignBudget, rules, clock),
    rewards: new RewardsService(ledger, members, idempotency, rules, clock),
    expiry: new ExpiryService(ledger, rules, clock),
    memberCodes,
    staff,
    till,
    tasks,
    campaigns: new CampaignsService(tx, members, campaignBudget, idempotency, rules, clock),
    reports: new ReportsService(tx, rules, clock),
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
    // The member's life (issue 11): the agreement at registration.
    agreements: new AgreementsService(tx, ledger, audit, rules, clock),
    // Disputes with a 7-day answer (item 2); an answer's adjustment goes through the back office's adjustments.
    // The 任务中心 (item 6): the channels' state, read from the rows the task routes write.
    taskCenter: new TaskCenterService(tx, tasks, rules, clock),
    disputes: new DisputesService(tx, ledger, adjustments, idempotency, audit, rules, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
