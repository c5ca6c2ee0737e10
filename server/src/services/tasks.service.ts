import { createHmac } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  capStoppedEarning,
  checkSurveyAnswers,
  localDay,
  localMonth,
  nextShareSlot,
  planTaskEarning,
  shareKeyPrefix,
  surveyOpen,
  TASK_KEY_ONCE,
  addDays,
  type RulesConfig,
  type SurveyQuestion,
  type TaskName,
  type TaskResponse,
} from '@jifen/shared';
import { AppError } from '../errors';
import { CardBindingEntity, LedgerEntryEntity, OrderReviewEntity, PurchaseEntity, SurveyEntity, SurveyResponseEntity, TaskCompletionEntity, type MemberAccount, type Purchase } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import { notify } from './outbox';
import { MemberTiers } from './member-tier';
import type { LedgerService } from './ledger.service';
import { nonPurchaseThisMonth } from './checkins.service';

export interface Grant {
  task: TaskName;
  taskKey: string;
  refId: string;
  reason: string;
  /** The task's own amount (a survey's points); else rules.tasks. */
  points?: number;
  /** A reward riding on an order stays pending until the order's return window is over (issue 8.5). */
  activatesAt?: number;
}

/**
 * Earning channels beyond purchase (issue 4 item 7), tightened by issue 8.5 so that none pays for nothing:
 * a review needs an own order that earned points and a text (stored), and its points wait out the order's return
 * window; a survey must be one marketing published, open now, answered in full (answers stored); a card earns the
 * bind-card reward once across all members (a keyed hash of its number). Every grant follows the check-in pattern:
 * lock the member's account, refuse a repeat under that lock (the unique (member, task, task_key) index backs it
 * against races), apply the monthly cap on non-purchase points, credit EARN_TASK (refType 'task'), and record the
 * completion, even when the cap leaves 0 points, so the task cannot be claimed again.
 */
export class TasksService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    /** Keys the card-number hash (HMAC-SHA256): a leaked table does not give the numbers back. */
    private readonly cardHashKey: string,
  ) {
    this.tiers = new MemberTiers(ledger.tx, rules, clock);
  }

  /** Task points qualify: an upgrade they earn is stored and told in the task's transaction (保级). */
  private readonly tiers: MemberTiers;

  /** When an order's return window ends (its purchase points activate then). */
  windowEndOf(p: Pick<Purchase, 'createdAt'>): number {
    return addDays(new Date(p.createdAt), this.rules.purchase.pendingDays).getTime();
  }

  // ---- review, bind card, share, survey -------------------------------------------------------

  /**
   * Once per order, for the member's own posted order that earned points (someone else's or an unknown order is 404),
   * with a text of at least REVIEW_TEXT_MIN characters, stored. The points are pending until the order's return
   * window ends, and reversed if the order is refunded in full inside it (onRefund).
   */
  async review(memberId: number, input: { orderNo: string; storeId?: number; text: string }): Promise<TaskResponse> {
    const where = { memberId, orderNo: input.orderNo, ...(input.storeId ? { storeId: input.storeId } : {}) };
    const found = await this.ledger.tx.manager.getRepository(PurchaseEntity).find({ where, take: 2 });
    if (found.length === 0) throw new AppError('NOT_FOUND');
    if (found.length > 1) throw new AppError('VALIDATION_FAILED', [{ path: 'storeId', message: 'the order number exists at more than one store: give storeId' }]);
    const p = found[0]!;
    // A fully refunded order is no longer a purchase to review for points (buy, review, refund would farm them).
    if (p.refundedFen >= p.amountFen) throw new AppError('NOT_ELIGIBLE', { reason: 'ORDER_REFUNDED' });
    if (p.pointsAwarded <= 0) throw new AppError('NOT_ELIGIBLE', { reason: 'ORDER_EARNED_NO_POINTS' });
    const activatesAt = Math.max(this.clock().getTime(), this.windowEndOf(p));
    return this.grant(memberId, { task: 'review', taskKey: String(p.id), refId: `review:${p.id}`, reason: `评价订单 ${p.orderNo}`, activatesAt }, async (m) => {
      await m.getRepository(OrderReviewEntity).insert({ purchaseId: p.id, memberId, text: input.text, createdAt: this.clock().getTime() });
    });
  }

  /** The keyed hash a card number is known by (never stored in the clear). */
  cardHash(cardNo: string): string {
    return createHmac('sha256', this.cardHashKey).update(`bind-card:${cardNo}`).digest('hex');
  }

  /**
   * Once per member, and once per card across all members: a card that already earned (for anyone) is 409
   * NOT_ELIGIBLE CARD_ALREADY_REWARDED, nothing written.
   */
  async bindCard(memberId: number, cardNo: string): Promise<TaskResponse> {
    const cardHash = this.cardHash(cardNo);
    return this.grant(memberId, { task: 'bind_card', taskKey: TASK_KEY_ONCE, refId: 'bind_card', reason: '绑定银行卡奖励' }, async (m) => {
      const taken = await m.getRepository(CardBindingEntity).findOne({ where: { cardHash } });
      if (taken) throw new AppError('NOT_ELIGIBLE', { reason: 'CARD_ALREADY_REWARDED' });
      await m.getRepository(CardBindingEntity).insert({ cardHash, memberId, createdAt: this.clock().getTime() });
    });
  }

  /** Up to shareDailyMax a local day; the day's n-th share takes key `${day}#${n}`. */
  async share(memberId: number): Promise<TaskResponse> {
    const day = localDay(this.clock(), this.rules.timezone);
    return this.grant(memberId, { task: 'share', taskKey: '', refId: '', reason: '分享奖励' }, undefined, async (m) => {
      const doneToday = await m
        .getRepository(TaskCompletionEntity)
        .createQueryBuilder('t')
        .where('t.member_id = :memberId AND t.task = :task AND t.task_key LIKE :prefix', { memberId, task: 'share', prefix: `${shareKeyPrefix(day)}%` })
        .getCount();
      const slot = nextShareSlot(day, doneToday, this.rules);
      if (!slot.ok) throw new AppError('DAILY_LIMIT_REACHED', { dailyMax: this.rules.tasks.shareDailyMax });
      return { taskKey: slot.key, refId: `share:${slot.key}` };
    });
  }

  /**
   * A survey marketing published and open now (else 404), answered in full (else 400), once per member (409); the
   * answers are stored and the survey's own points granted under the monthly cap.
   */
  async survey(memberId: number, surveyId: number, answers: string[]): Promise<TaskResponse> {
    const s = await this.ledger.tx.manager.getRepository(SurveyEntity).findOne({ where: { id: surveyId } });
    if (!s || !surveyOpen(s, this.clock().getTime())) throw new AppError('NOT_FOUND');
    const problem = checkSurveyAnswers(JSON.parse(s.questions) as SurveyQuestion[], answers);
    if (problem) throw new AppError('VALIDATION_FAILED', [problem]);
    return this.grant(memberId, { task: 'survey', taskKey: String(s.id), refId: `survey:${s.id}`, reason: `问卷 ${s.title}`.slice(0, 120), points: s.points }, async (m) => {
      await m.getRepository(SurveyResponseEntity).insert({ surveyId: s.id, memberId, answers: JSON.stringify(answers), createdAt: this.clock().getTime() });
    });
  }

  /**
   * One grant in one transaction on one member. `also` writes what the grant rests on (the review text, the card,
   * the answers) under the lock, after the repeat check; `keyed` picks the key under the lock (share counts the
   * day's completions there). A concurrent duplicate loses on a unique index: TASK_ALREADY_DONE, or for share
   * DAILY_LIMIT_REACHED, since the other request took the slot.
   */
  private async grant(
    memberId: number,
    g: Grant,
    also?: (m: EntityManager) => Promise<void>,
    keyed?: (m: EntityManager) => Promise<{ taskKey: string; refId: string }>,
  ): Promise<TaskResponse> {
    try {
      return await this.ledger.tx.run(async (m) => {
        const account = await this.ledger.lockAccount(m, memberId);
        const spec = keyed ? { ...g, ...(await keyed(m)) } : g;
        if (await this.completion(m, memberId, spec.task, spec.taskKey)) throw new AppError('TASK_ALREADY_DONE');
        if (also) await also(m);
        const earning = await this.creditTask(m, account, spec, `member:${memberId}`);
        return { task: spec.task, points: earning.total, breakdown: earning.lines, balance: account.balance };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(g.task === 'share' ? 'DAILY_LIMIT_REACHED' : g.task === 'bind_card' ? 'NOT_ELIGIBLE' : 'TASK_ALREADY_DONE', g.task === 'bind_card' ? { reason: 'CARD_ALREADY_REWARDED' } : undefined);
      throw e;
    }
  }

  completion(m: EntityManager, memberId: number, task: string, taskKey: string) {
    return m.getRepository(TaskCompletionEntity).findOne({ where: { memberId, task, taskKey } });
  }

  /** Inside the member's locked transaction: capped earning, EARN_TASK credit when > 0, the completion row. */
  async creditTask(m: EntityManager, account: MemberAccount, g: Grant, actor: string) {
    const now = this.clock();
    const used = await nonPurchaseThisMonth(m, account.memberId, now, this.rules);
    // The yearly cap stops task bonuses (the completion is still recorded, with the reason as its line).
    const earning = this.ledger.versions.state.bonusesStopped ? capStoppedEarning() : planTaskEarning(g.task, this.rules, used, g.points);
    let entryId: number | null = null;
    if (earning.total > 0) {
      const entry = await this.ledger.credit(m, account, earning.total, { code: 'EARN_TASK', reason: g.reason, actor, refType: 'task', refId: g.refId, breakdown: earning.lines, activatesAt: g.activatesAt });
      entryId = entry.id;
      await notify(m, { memberId: account.memberId, kind: 'EARNED', title: '任务积分到账', body: `${g.reason},获得 ${earning.total} 积分,当前余额 ${account.balance} 积分。` }, now.getTime());
      await this.tiers.afterEarn(m, account.memberId);
    }
    await m.getRepository(TaskCompletionEntity).insert({
      memberId: account.memberId,
      task: g.task,
      taskKey: g.taskKey,
      month: localMonth(now, this.rules.timezone),
      points: earning.total,
      entryId,
      createdAt: now.getTime(),
    });
    return earning;
  }

  /**
   * TillService refund hook, inside the refund's transaction on the member's locked account: an order refunded in full
   * inside its return window takes back the rewards that rode on it (its review, the invitee's first-purchase
   * reward). Each is reversed once: the completion's entry is marked reversed by the REFUND_REVERSAL entry's link.
   */
  readonly onRefund = async (m: EntityManager, account: MemberAccount, p: Purchase): Promise<void> => {
    if (p.refundedFen < p.amountFen || this.clock().getTime() >= this.windowEndOf(p)) return;
    const refIds = [`review:${p.id}`, `invited:${p.id}`];
    const rows = await m.getRepository(TaskCompletionEntity).find({ where: { memberId: p.memberId, task: In(['review', 'invited']) } });
    for (const c of rows) {
      if (c.entryId === null || c.points <= 0) continue;
      const refId = c.task === 'review' ? `review:${c.taskKey}` : await this.invitedRefOf(m, c.entryId);
      if (!refId || !refIds.includes(refId)) continue;
      await this.ledger.reverse(m, account, c.points, { refType: 'task', refId }, {
        code: 'REFUND_REVERSAL',
        reason: c.task === 'review' ? `订单 ${p.orderNo} 退款,撤销评价奖励` : `订单 ${p.orderNo} 退款,撤销受邀首单奖励`,
        actor: 'system:refund',
        refType: 'task',
        refId,
        reversesEntryId: c.entryId,
      });
      // The completion stays (the task is not claimable again) but now stands for no points.
      await m.getRepository(TaskCompletionEntity).update({ id: c.id }, { points: 0 });
    }
  };

  private async invitedRefOf(m: EntityManager, entryId: number): Promise<string | null> {
    return (await m.getRepository(LedgerEntryEntity).findOne({ where: { id: entryId } }))?.refId ?? null;
  }
}
