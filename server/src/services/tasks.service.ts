import type { EntityManager } from 'typeorm';
import {
  checkInvite,
  INVITE_CHAIN_MAX,
  inviteCodeFor,
  localDay,
  localMonth,
  memberIdFromInviteCode,
  nextShareSlot,
  planTaskEarning,
  shareKeyPrefix,
  TASK_KEY_ONCE,
  type InviteCodeResponse,
  type InviteResponse,
  type RulesConfig,
  type TaskName,
  type TaskResponse,
} from '@jifen/shared';
import { AppError } from '../errors';
import { MemberEntity, PurchaseEntity, TaskCompletionEntity, type MemberAccount } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import { notify } from './outbox';
import type { LedgerService } from './ledger.service';
import type { FirstPurchaseAfterCommit } from './till.service';
import { nonPurchaseThisMonth } from './checkins.service';

/**
 * The inviter's reward waiting to be paid: a task_completion row owned by the inviter, task
 * INVITE_DUE, key = the invitee's id. It is written inside the invitee's first-purchase transaction (an
 * insert only: no lock on, and no balance change of, the inviter) and consumed in the inviter's own
 * transaction, which credits the reward, writes the 'invite' completion and deletes this row.
 * Not a TaskName: it never earns by itself.
 */
export const INVITE_DUE = 'invite_due';

interface Grant {
  task: TaskName;
  taskKey: string;
  refId: string;
  reason: string;
}

/**
 * Earning channels beyond purchase (issue 4 item 7). Every grant follows the check-in pattern: lock the
 * member's account, refuse a repeat under that lock (the unique (member, task, task_key) index backs it
 * against races), apply the monthly cap on non-purchase points, credit EARN_TASK (refType 'task'), and
 * record the completion, even when the cap leaves 0 points, so the task cannot be claimed again.
 */
export class TasksService {
  /** Pending inviter rewards settled per sweep call (bounded, DESIGN §7). */
  static readonly SETTLE_BATCH_MAX = 100;
  /** Pending rewards of one member settled on their own request. */
  private static readonly SETTLE_MINE_MAX = 20;

  constructor(
    private readonly ledger: LedgerService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  // ---- review, bind card, share, survey -------------------------------------------------------

  /** Once per order, for the member's own posted order (someone else's or an unknown order is 404). */
  async review(memberId: number, input: { orderNo: string; storeId?: number }): Promise<TaskResponse> {
    const where = { memberId, orderNo: input.orderNo, ...(input.storeId ? { storeId: input.storeId } : {}) };
    const found = await this.ledger.tx.manager.getRepository(PurchaseEntity).find({ where, take: 2 });
    if (found.length === 0) throw new AppError('NOT_FOUND');
    if (found.length > 1) throw new AppError('VALIDATION_FAILED', [{ path: 'storeId', message: 'the order number exists at more than one store: give storeId' }]);
    const p = found[0]!;
    // A fully refunded order is no longer a purchase to review for points (buy, review, refund would farm them).
    if (p.refundedFen >= p.amountFen) throw new AppError('NOT_ELIGIBLE', { reason: 'ORDER_REFUNDED' });
    return this.grant(memberId, { task: 'review', taskKey: String(p.id), refId: `review:${p.id}`, reason: `评价订单 ${p.orderNo}` });
  }

  /** Once per member; the card number is validated by the schema and not stored. */
  async bindCard(memberId: number): Promise<TaskResponse> {
    return this.grant(memberId, { task: 'bind_card', taskKey: TASK_KEY_ONCE, refId: 'bind_card', reason: '绑定银行卡奖励' });
  }

  /** Up to shareDailyMax a local day; the day's n-th share takes key `${day}#${n}`. */
  async share(memberId: number): Promise<TaskResponse> {
    const day = localDay(this.clock(), this.rules.timezone);
    return this.grant(memberId, { task: 'share', taskKey: '', refId: '', reason: '分享奖励' }, async (m) => {
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

  /** Once per survey id (already lower-cased by the schema). */
  async survey(memberId: number, surveyId: string): Promise<TaskResponse> {
    return this.grant(memberId, { task: 'survey', taskKey: surveyId, refId: `survey:${surveyId}`, reason: `问卷 ${surveyId}` });
  }

  /**
   * One grant in one transaction on one member. `keyed` picks the key under the lock (share counts the
   * day's completions there). A concurrent duplicate loses on the unique index: TASK_ALREADY_DONE, or
   * for share DAILY_LIMIT_REACHED, since the other request took the slot.
   */
  private async grant(memberId: number, g: Grant, keyed?: (m: EntityManager) => Promise<{ taskKey: string; refId: string }>): Promise<TaskResponse> {
    try {
      return await this.ledger.tx.run(async (m) => {
        const account = await this.ledger.lockAccount(m, memberId);
        const spec = keyed ? { ...g, ...(await keyed(m)) } : g;
        if (await this.completion(m, memberId, spec.task, spec.taskKey)) throw new AppError('TASK_ALREADY_DONE');
        const earning = await this.creditTask(m, account, spec, `member:${memberId}`);
        return { task: spec.task, points: earning.total, breakdown: earning.lines, balance: account.balance };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(g.task === 'share' ? 'DAILY_LIMIT_REACHED' : 'TASK_ALREADY_DONE');
      throw e;
    }
  }

  private completion(m: EntityManager, memberId: number, task: string, taskKey: string) {
    return m.getRepository(TaskCompletionEntity).findOne({ where: { memberId, task, taskKey } });
  }

  /** Inside the member's locked transaction: capped earning, EARN_TASK credit when > 0, the completion row. */
  private async creditTask(m: EntityManager, account: MemberAccount, g: Grant, actor: string) {
    const now = this.clock();
    const used = await nonPurchaseThisMonth(m, account.memberId, now, this.rules);
    const earning = planTaskEarning(g.task, this.rules, used);
    let entryId: number | null = null;
    if (earning.total > 0) {
      const entry = await this.ledger.credit(m, account, earning.total, { code: 'EARN_TASK', reason: g.reason, actor, refType: 'task', refId: g.refId, breakdown: earning.lines });
      entryId = entry.id;
      await notify(m, { memberId: account.memberId, kind: 'EARNED', title: '任务积分到账', body: `${g.reason},获得 ${earning.total} 积分,当前余额 ${account.balance} 积分。` }, now.getTime());
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

  // ---- invites --------------------------------------------------------------------------------

  /**
   * The current member (invitee) records who invited them. Refused (409 INVITE_REFUSED, nothing written):
   * self, a second inviter, after the invitee's first purchase, a loop (the invitee is up the inviter's
   * chain), or a chain longer than INVITE_CHAIN_MAX. The same inviter again is a replay (200).
   *
   * Locks: the invitee's account (serializes with their purchases, so "no purchase yet" holds at commit),
   * then the invitee's and the chain's member rows FOR UPDATE. Two members inviting each other at once
   * lock the two rows in opposite orders: MySQL aborts one (deadlock, retried by TxRunner) and the retry
   * sees the other's link and refuses the loop. Only the invitee's row is written.
   */
  async recordInvite(inviteeId: number, inviteCode: string): Promise<{ created: boolean; body: InviteResponse }> {
    const inviterId = memberIdFromInviteCode(inviteCode);
    if (inviterId === null) throw new AppError('NOT_FOUND');
    return this.ledger.tx.run(async (m) => {
      await this.ledger.lockAccount(m, inviteeId);
      const invitee = await this.lockMember(m, inviteeId);
      const inviter = inviterId === inviteeId ? invitee : await this.lockMember(m, inviterId);
      if (!invitee || !inviter) throw new AppError('NOT_FOUND');
      // The inviter's ancestors, nearest first, each row locked; walked only when the rest would pass.
      const ancestors: number[] = [];
      let next = inviter.invitedBy;
      if (inviterId !== inviteeId && invitee.invitedBy === null && invitee.firstPurchaseAt === null) {
        while (next !== null && next !== inviteeId && ancestors.length < INVITE_CHAIN_MAX) {
          ancestors.push(next);
          next = (await this.lockMember(m, next))?.invitedBy ?? null;
        }
        if (next === inviteeId) ancestors.push(next);
      }
      const check = checkInvite({
        inviteeId,
        inviterId,
        inviteeInvitedBy: invitee.invitedBy,
        inviteeHasPurchased: invitee.firstPurchaseAt !== null,
        inviterAncestors: ancestors,
        chainComplete: next === null || next === inviteeId,
      });
      if (!check.ok) throw new AppError('INVITE_REFUSED', { reason: check.reason });
      if (!check.replay) await m.getRepository(MemberEntity).update({ id: inviteeId }, { invitedBy: inviterId });
      const rewarded = (await this.completion(m, inviteeId, 'invited', TASK_KEY_ONCE)) !== null;
      return {
        created: !check.replay,
        body: {
          inviter: { nickname: inviter.nickname },
          status: rewarded ? 'REWARDED' : 'PENDING_FIRST_PURCHASE',
          inviterPoints: this.rules.tasks.inviteInviter,
          inviteePoints: this.rules.tasks.inviteInvitee,
        },
      };
    });
  }

  private lockMember(m: EntityManager, id: number) {
    return this.ledger.tx.forUpdate(m.getRepository(MemberEntity).createQueryBuilder('mb').where('mb.id = :id', { id })).getOne();
  }

  /** The member's invite code and how their invites stand (settles their pending rewards first). */
  async inviteCode(memberId: number): Promise<InviteCodeResponse> {
    await this.settleMine(memberId);
    const r = this.ledger.tx.manager;
    const me = await r.getRepository(MemberEntity).findOne({ where: { id: memberId } });
    if (!me) throw new AppError('NOT_FOUND');
    const inviter = me.invitedBy ? await r.getRepository(MemberEntity).findOne({ where: { id: me.invitedBy } }) : null;
    const total = await r.getRepository(MemberEntity).count({ where: { invitedBy: memberId } });
    const rewarded = await r.getRepository(TaskCompletionEntity).count({ where: { memberId, task: 'invite' } });
    return {
      inviteCode: inviteCodeFor(memberId),
      invitedBy: inviter ? { nickname: inviter.nickname } : null,
      invitees: { total, rewarded },
      inviterPoints: this.rules.tasks.inviteInviter,
      inviteePoints: this.rules.tasks.inviteInvitee,
    };
  }

  /**
   * TillService first-purchase hook, inside the invitee's purchase transaction (their account is locked).
   * Pays the invitee's reward there, leaves the inviter's as an INVITE_DUE row, and returns the work the
   * till runs after commit: the inviter's reward in the inviter's own transaction (DESIGN §9). If that
   * fails or the process dies first, the row stays and settlePendingInvites() pays it later.
   */
  readonly onFirstPurchase = async (m: EntityManager, account: MemberAccount): Promise<FirstPurchaseAfterCommit | void> => {
    const inviteeId = account.memberId;
    const invitee = await m.getRepository(MemberEntity).findOne({ where: { id: inviteeId } });
    const inviterId = invitee?.invitedBy ?? null;
    if (inviterId === null) return;
    if (!(await this.completion(m, inviteeId, 'invited', TASK_KEY_ONCE))) {
      await this.creditTask(m, account, { task: 'invited', taskKey: TASK_KEY_ONCE, refId: `invited:${inviterId}`, reason: '受邀好友首单奖励' }, 'system:invite');
    }
    const inviteeKey = String(inviteeId);
    const due = await this.completion(m, inviterId, INVITE_DUE, inviteeKey);
    const paid = await this.completion(m, inviterId, 'invite', inviteeKey);
    if (!due && !paid) {
      const now = this.clock();
      await m.getRepository(TaskCompletionEntity).insert({ memberId: inviterId, task: INVITE_DUE, taskKey: inviteeKey, month: localMonth(now, this.rules.timezone), points: 0, entryId: null, createdAt: now.getTime() });
    }
    return async () => {
      await this.settleInvite(inviterId, inviteeId);
    };
  };

  /**
   * Pays one pending inviter reward, in the inviter's transaction; idempotent: the INVITE_DUE row is
   * re-read under the inviter's lock and deleted in the same transaction as the credit, and the unique
   * (inviter, 'invite', invitee) key forbids a second payment. Returns whether a pending row was consumed.
   */
  async settleInvite(inviterId: number, inviteeId: number): Promise<boolean> {
    const inviteeKey = String(inviteeId);
    return this.ledger.tx.run(async (m) => {
      const account = await this.ledger.lockAccount(m, inviterId);
      const due = await this.completion(m, inviterId, INVITE_DUE, inviteeKey);
      if (!due) return false;
      if (!(await this.completion(m, inviterId, 'invite', inviteeKey))) {
        await this.creditTask(m, account, { task: 'invite', taskKey: inviteeKey, refId: `invite:${inviteeId}`, reason: '邀请好友首单奖励' }, 'system:invite');
      }
      await m.getRepository(TaskCompletionEntity).delete({ id: due.id });
      return true;
    });
  }

  /**
   * The sweep: pays pending inviter rewards left by a failed or interrupted after-commit step, oldest
   * first, at most SETTLE_BATCH_MAX per call. Safe to run from several instances at once (each row is
   * settled under its inviter's lock); one failing row does not stop the others.
   */
  async settlePendingInvites(opts: { batchMax?: number } = {}): Promise<{ settled: number; failed: number }> {
    const batchMax = Math.min(opts.batchMax ?? TasksService.SETTLE_BATCH_MAX, TasksService.SETTLE_BATCH_MAX);
    const rows = await this.ledger.tx.manager.getRepository(TaskCompletionEntity).find({ where: { task: INVITE_DUE }, order: { id: 'ASC' }, take: batchMax });
    return this.settleRows(rows);
  }

  /** The member's own pending inviter rewards (called on their invite-code request). */
  async settleMine(memberId: number): Promise<{ settled: number; failed: number }> {
    const rows = await this.ledger.tx.manager
      .getRepository(TaskCompletionEntity)
      .find({ where: { memberId, task: INVITE_DUE }, order: { id: 'ASC' }, take: TasksService.SETTLE_MINE_MAX });
    return this.settleRows(rows);
  }

  private async settleRows(rows: { memberId: number; taskKey: string }[]): Promise<{ settled: number; failed: number }> {
    const out = { settled: 0, failed: 0 };
    for (const row of rows) {
      try {
        if (await this.settleInvite(row.memberId, Number(row.taskKey))) out.settled += 1;
      } catch {
        out.failed += 1; // the row stays for the next sweep
      }
    }
    return out;
  }
}
