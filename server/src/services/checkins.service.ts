import { applyMonthlyCap, computeCheckinEarning, localMonth, planCheckin, startOfLocalDay, type CheckinResponse, type RulesConfig } from '@jifen/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import { CheckinEntity, LedgerEntryEntity, MemberAccountEntity } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { MembersService } from './members.service';
import type { CampaignBudgetService } from './campaign-budget.service';

/** Points from non-purchase channels this local month (what the monthly cap counts). */
export async function nonPurchaseThisMonth(m: EntityManager, memberId: number, now: Date, rules: RulesConfig): Promise<number> {
  const monthStart = startOfLocalDay(`${localMonth(now, rules.timezone)}-01`, rules.timezone).getTime();
  const row = await m
    .getRepository(LedgerEntryEntity)
    .createQueryBuilder('e')
    .select('COALESCE(SUM(e.delta), 0)', 'total')
    .where("e.member_id = :memberId AND e.created_at >= :monthStart AND e.ref_type IN ('checkin', 'task') AND e.delta > 0", { memberId, monthStart })
    .getRawOne<{ total: string | number }>();
  return Number(row?.total ?? 0);
}

export class CheckinsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly campaigns: CampaignBudgetService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  /** Once per local day; the (member, day) unique index backs the check made under the member lock. */
  async checkIn(memberId: number): Promise<CheckinResponse> {
    try {
      return await this.ledger.tx.run(async (m) => {
        const account = await this.ledger.lockAccount(m, memberId);
        const now = this.clock();
        const planned = planCheckin(account.lastCheckinDay ? { day: account.lastCheckinDay, streak: account.checkinStreak } : null, now, this.rules);
        if (!planned.ok) throw new AppError('ALREADY_CHECKED_IN');
        const { plan } = planned;
        const tier = await this.members.tierOf(memberId, m);
        // The yearly cap stops campaign bonuses on check-ins too (the check-in points themselves continue).
        const campaign = this.ledger.versions.state.bonusesStopped ? null : await this.campaigns.pickLocked(m, { nowMs: now.getTime(), tierCode: tier.current.code, storeId: null, channel: 'checkin' });
        const earning = applyMonthlyCap(
          computeCheckinEarning({ basePoints: plan.basePoints, bonusPoints: plan.bonusPoints, streak: plan.streak, campaign }),
          await nonPurchaseThisMonth(m, memberId, now, this.rules),
          this.rules.nonPurchaseMonthlyCap,
        );
        account.lastCheckinDay = plan.day;
        account.checkinStreak = plan.streak;
        const ref = { refType: 'checkin', refId: plan.day };
        const basePart = earning.total - earning.campaignBonus;
        let entryId = 0;
        if (basePart > 0) {
          const entry = await this.ledger.credit(m, account, basePart, { code: 'EARN_CHECKIN', reason: `每日签到(连续第 ${plan.streak} 天)`, actor: `member:${memberId}`, breakdown: earning.lines, ...ref });
          entryId = entry.id;
        }
        if (earning.campaignBonus > 0 && campaign) {
          await this.campaigns.charge(m, campaign, earning.campaignBonus);
          const bonus = await this.ledger.credit(m, account, earning.campaignBonus, { code: 'EARN_CAMPAIGN_BONUS', reason: `${campaign.name} 签到加赠`, actor: `member:${memberId}`, ...ref });
          entryId ||= bonus.id;
        }
        if (earning.total > 0) await this.members.tiers.afterEarn(m, memberId, { before: tier, earned: earning.total }); // 保级: upgrades are immediate
        if (earning.total === 0) {
          // Capped to nothing: the streak still counts; save it without a ledger entry.
          await m.getRepository(MemberAccountEntity).update({ memberId }, { lastCheckinDay: plan.day, checkinStreak: plan.streak });
        }
        await m.getRepository(CheckinEntity).insert({ memberId, day: plan.day, streak: plan.streak, points: earning.total, entryId, createdAt: now.getTime() });
        return { points: earning.total, streak: plan.streak, bonus: plan.bonusPoints, breakdown: earning.lines, balance: account.balance };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('ALREADY_CHECKED_IN');
      throw e;
    }
  }
}
