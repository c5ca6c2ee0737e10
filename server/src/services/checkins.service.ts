import { applyMonthlyCap, computeCheckinEarning, localMonth, planCheckin, startOfLocalDay, type CheckinResponse, type RulesConfig } from '@jifen/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import { CheckinEntity, LedgerEntryEntity } from '../db/entities';
import type { Ref } from '../db/write-batch';
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
        const now = this.clock();
        // Read before the member lock (issue 14.1): the rules version, the tier and the running campaigns.
        await this.ledger.versions.sync(m);
        const running = this.ledger.versions.state.bonusesStopped ? [] : await this.campaigns.running(m, now.getTime());
        const account = await this.ledger.lockSynced(m, memberId);
        const tier = await this.members.tierOf(memberId, m); // after the lock, like the till's
        const planned = planCheckin(account.lastCheckinDay ? { day: account.lastCheckinDay, streak: account.checkinStreak } : null, now, this.rules);
        if (!planned.ok) throw new AppError('ALREADY_CHECKED_IN');
        const { plan } = planned;
        // The yearly cap stops campaign bonuses on check-ins too (the check-in points themselves continue).
        const campaign = running.length > 0 ? await this.campaigns.pickLocked(m, { nowMs: now.getTime(), tierCode: tier.current.code, storeId: null, channel: 'checkin' }, running) : null;
        const earning = applyMonthlyCap(
          computeCheckinEarning({ basePoints: plan.basePoints, bonusPoints: plan.bonusPoints, streak: plan.streak, campaign }),
          await nonPurchaseThisMonth(m, memberId, now, this.rules),
          this.rules.nonPurchaseMonthlyCap,
        );
        account.lastCheckinDay = plan.day;
        account.checkinStreak = plan.streak;
        const ref = { refType: 'checkin', refId: plan.day };
        const basePart = earning.total - earning.campaignBonus;
        const batch = this.ledger.batch(m);
        let entryId: Ref | number = 0;
        if (basePart > 0) {
          const entry = await this.ledger.creditInto(m, batch, account, basePart, { code: 'EARN_CHECKIN', reason: `每日签到(连续第 ${plan.streak} 天)`, actor: `member:${memberId}`, breakdown: earning.lines, ...ref });
          entryId = entry.ref;
        }
        if (earning.campaignBonus > 0 && campaign) {
          this.campaigns.chargeInto(batch, campaign, earning.campaignBonus);
          const bonus = await this.ledger.creditInto(m, batch, account, earning.campaignBonus, { code: 'EARN_CAMPAIGN_BONUS', reason: `${campaign.name} 签到加赠`, actor: `member:${memberId}`, ...ref });
          entryId ||= bonus.ref;
        }
        if (earning.total === 0) {
          // Capped to nothing: the streak still counts; save it without a ledger entry.
          batch.exec('UPDATE member_account SET last_checkin_day = ?, checkin_streak = ? WHERE member_id = ?', [plan.day, plan.streak, memberId]);
        }
        batch.insert(CheckinEntity, { memberId, day: plan.day, streak: plan.streak, points: earning.total, entryId, createdAt: now.getTime() });
        await batch.flush();
        // 保级: upgrades are immediate; after the flush, since a possible upgrade reads the entries just written.
        if (earning.total > 0) await this.members.tiers.afterEarn(m, memberId, { before: tier, earned: earning.total });
        return { points: earning.total, streak: plan.streak, bonus: plan.bonusPoints, breakdown: earning.lines, balance: account.balance };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('ALREADY_CHECKED_IN');
      throw e;
    }
  }
}
