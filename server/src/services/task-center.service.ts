import { In, Like, type EntityManager } from 'typeorm';
import { localDay, shareKeyPrefix, TASK_KEY_ONCE, type RulesConfig, type TaskCenterResponse, type TaskChannelDto } from '@jifen/shared';
import { MemberAccountEntity, PurchaseEntity, TaskCompletionEntity } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { InvitesService } from './invites.service';
import type { SurveysService } from './surveys.service';
import { nonPurchaseThisMonth } from './checkins.service';

/** Reviewable orders listed at once (the newest; older ones follow as these are reviewed). */
const REVIEWABLE_SHOWN_MAX = 10;
/** Orders looked at to find the reviewable ones (a bound on the read, DESIGN §7). */
const ORDERS_SCANNED_MAX = 100;

/**
 * The 任务中心 (issue 11 item 6): every channel the rules advertise with its state now, read from the same rows
 * the channels write (task_completion, the account's check-in day, purchases), so the page and the refusals
 * always agree. Reads only; the actions are the existing task routes.
 */
export class TaskCenterService {
  constructor(
    private readonly tx: TxRunner,
    private readonly invites: InvitesService,
    private readonly surveys: SurveysService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  async overview(memberId: number): Promise<TaskCenterResponse> {
    // First: pays any inviter reward waiting for this member, so the invite line is current.
    const invite = await this.invites.inviteCode(memberId);
    const m = this.tx.manager;
    const now = this.clock();
    const today = localDay(now, this.rules.timezone);
    const t = this.rules.tasks;

    const account = await m.getRepository(MemberAccountEntity).findOneOrFail({ where: { memberId } });
    const checkedIn = account.lastCheckinDay === today ? 1 : 0;
    const sharesToday = await m.getRepository(TaskCompletionEntity).count({ where: { memberId, task: 'share', taskKey: Like(`${shareKeyPrefix(today)}%`) } });
    const cardBound = await m.getRepository(TaskCompletionEntity).count({ where: { memberId, task: 'bind_card', taskKey: TASK_KEY_ONCE } });
    const reviews = await this.reviewState(m, memberId);
    const surveys = await this.surveys.openFor(memberId);
    const surveysDone = surveys.filter((x) => x.done).length;

    const channels: TaskChannelDto[] = [
      { channel: 'checkin', title: '每日签到', points: this.rules.checkin.points, period: 'day', done: checkedIn, left: 1 - checkedIn, cap: 1 },
      { channel: 'review', title: '评价订单', points: t.review, period: 'order', done: reviews.done, left: reviews.left, cap: null },
      { channel: 'bind_card', title: '绑定银行卡', points: t.bindCard, period: 'once', done: cardBound, left: 1 - cardBound, cap: 1 },
      // Each survey sets its own points: the line shows the most an open one pays.
      { channel: 'survey', title: '参与问卷', points: Math.max(0, ...surveys.map((x) => x.points)), period: 'survey', done: surveysDone, left: surveys.length - surveysDone, cap: surveys.length },
      { channel: 'share', title: '分享给好友', points: t.share, period: 'day', done: sharesToday, left: Math.max(0, t.shareDailyMax - sharesToday), cap: t.shareDailyMax },
      { channel: 'invite', title: '邀请好友', points: t.inviteInviter, period: 'friend', done: invite.invitees.rewarded, left: null, cap: null },
    ];
    return {
      channels,
      monthly: { used: await nonPurchaseThisMonth(m, memberId, now, this.rules), cap: this.rules.nonPurchaseMonthlyCap },
      reviewable: reviews.reviewable,
      surveys,
      invite: { code: invite.inviteCode, invitees: invite.invitees, inviterPoints: invite.inviterPoints, inviteePoints: invite.inviteePoints, invitedBy: invite.invitedBy?.nickname ?? null },
    };
  }

  /** Orders reviewed (all time) and the newest of the member's orders still open to review (not fully refunded). */
  private async reviewState(m: EntityManager, memberId: number) {
    const done = await m.getRepository(TaskCompletionEntity).count({ where: { memberId, task: 'review' } });
    const orders = await m.getRepository(PurchaseEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: ORDERS_SCANNED_MAX });
    const reviewed = new Set(
      orders.length === 0
        ? []
        : (await m.getRepository(TaskCompletionEntity).find({ where: { memberId, task: 'review', taskKey: In(orders.map((o) => String(o.id))) }, select: { taskKey: true } })).map((r) => r.taskKey),
    );
    // What POST /me/tasks/review accepts: an order that earned points and is not fully refunded.
    const open = orders.filter((o) => !reviewed.has(String(o.id)) && o.refundedFen < o.amountFen && o.pointsAwarded > 0);
    return {
      done,
      left: open.length,
      reviewable: open.slice(0, REVIEWABLE_SHOWN_MAX).map((o) => ({ orderNo: o.orderNo, storeId: o.storeId, amountFen: o.amountFen, createdAt: new Date(o.createdAt).toISOString() })),
    };
  }
}

