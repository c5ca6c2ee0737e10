import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  checkInvite,
  INVITE_CHAIN_MAX,
  INVITE_CODE_ALPHABET,
  INVITE_CODE_LENGTH,
  localMonth,
  TASK_KEY_ONCE,
  type InviteCodeResponse,
  type InviteResponse,
  type RulesConfig,
} from '@jifen/shared';
import { AppError } from '../errors';
import { MemberEntity, PurchaseEntity, TaskCompletionEntity, type MemberAccount } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { FirstPurchaseAfterCommit } from './till.service';
import type { TasksService } from './tasks.service';

/**
 * The inviter's reward waiting to be paid: a task_completion row owned by the inviter, task
 * INVITE_DUE, key = the invitee's id. It is written inside the invitee's first-purchase transaction (an
 * insert only: no lock on, and no balance change of, the inviter) and consumed in the inviter's own
 * transaction, which credits the reward (or, for a refunded order, nothing), writes the 'invite' completion
 * and deletes this row. Not a TaskName: it never earns by itself.
 */
export const INVITE_DUE = 'invite_due';

/**
 * Invites (issue 4 item 7, tightened by issue 8.5): codes are random and kept per member; both rewards wait for the
 * invitee's first order to be past its return window. The invitee's reward is credited in that order's transaction as
 * a pending lot (reversed by TasksService.onRefund if the order is refunded in full inside the window); the inviter's
 * is paid in the inviter's own transaction (DESIGN §9) only once the window is over and the order still stands.
 */
export class InvitesService {
  /** Pending inviter rewards settled per sweep call (bounded, DESIGN §7). */
  static readonly SETTLE_BATCH_MAX = 100;
  /** Pending rewards of one member settled on their own request. */
  private static readonly SETTLE_MINE_MAX = 20;
  private static readonly CODE_ATTEMPTS_MAX = 5;

  constructor(
    private readonly ledger: LedgerService,
    private readonly tasks: TasksService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  /** A fresh random code (CSPRNG), INVITE_CODE_LENGTH characters of INVITE_CODE_ALPHABET. */
  private static draw(): string {
    let code = '';
    for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += INVITE_CODE_ALPHABET[randomInt(INVITE_CODE_ALPHABET.length)];
    return code;
  }

  /** The member's code, drawn on first use; a clash with another member's (unique index) draws again. */
  private async codeOf(memberId: number): Promise<string> {
    const repo = this.ledger.tx.manager.getRepository(MemberEntity);
    for (let attempt = 0; attempt < InvitesService.CODE_ATTEMPTS_MAX; attempt++) {
      const me = await repo.findOne({ where: { id: memberId } });
      if (!me) throw new AppError('NOT_FOUND');
      if (me.inviteCode) return me.inviteCode;
      try {
        // Only where still null: two first requests at once keep one code.
        await repo.createQueryBuilder().update().set({ inviteCode: InvitesService.draw() }).where('id = :id AND invite_code IS NULL', { id: memberId }).execute();
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    throw new Error(`no invite code for member ${memberId} after ${InvitesService.CODE_ATTEMPTS_MAX} draws`);
  }

  /**
   * The current member (invitee) records who invited them. Refused (409 INVITE_REFUSED, nothing written):
   * self, a second inviter, after the invitee's first purchase, a loop (the invitee is up the inviter's
   * chain), or a chain longer than INVITE_CHAIN_MAX. The same inviter again is a replay (200). An unknown code is 404.
   *
   * Locks: the invitee's account (serializes with their purchases, so "no purchase yet" holds at commit),
   * then the invitee's and the chain's member rows FOR UPDATE. Two members inviting each other at once
   * lock the two rows in opposite orders: MySQL aborts one (deadlock, retried by TxRunner) and the retry
   * sees the other's link and refuses the loop. Only the invitee's row is written.
   */
  async recordInvite(inviteeId: number, inviteCode: string): Promise<{ created: boolean; body: InviteResponse }> {
    const owner = await this.ledger.tx.manager.getRepository(MemberEntity).findOne({ where: { inviteCode: inviteCode.toUpperCase() } });
    if (!owner) throw new AppError('NOT_FOUND');
    const inviterId = owner.id;
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
      const rewarded = (await this.tasks.completion(m, inviteeId, 'invited', TASK_KEY_ONCE)) !== null;
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
    const inviteCode = await this.codeOf(memberId);
    const r = this.ledger.tx.manager;
    const me = await r.getRepository(MemberEntity).findOneOrFail({ where: { id: memberId } });
    const inviter = me.invitedBy ? await r.getRepository(MemberEntity).findOne({ where: { id: me.invitedBy } }) : null;
    const total = await r.getRepository(MemberEntity).count({ where: { invitedBy: memberId } });
    const rewarded = await r.getRepository(TaskCompletionEntity).count({ where: { memberId, task: 'invite' } });
    const pending = await r.getRepository(TaskCompletionEntity).count({ where: { memberId, task: INVITE_DUE } });
    return {
      inviteCode,
      invitedBy: inviter ? { nickname: inviter.nickname } : null,
      invitees: { total, rewarded, pending },
      inviterPoints: this.rules.tasks.inviteInviter,
      inviteePoints: this.rules.tasks.inviteInvitee,
    };
  }

  /**
   * TillService first-purchase hook, inside the invitee's purchase transaction (their account is locked).
   * Credits the invitee's reward there as a lot pending until the order's return window ends (refId
   * `invited:<purchase id>`, so a refund can find it), leaves the inviter's as an INVITE_DUE row, and returns the
   * work the till runs after commit (an attempt to settle, which waits until the window is over).
   */
  readonly onFirstPurchase = async (m: EntityManager, account: MemberAccount, order: { purchaseId: number; activatesAt: number }): Promise<FirstPurchaseAfterCommit | void> => {
    const inviteeId = account.memberId;
    const invitee = await m.getRepository(MemberEntity).findOne({ where: { id: inviteeId } });
    const inviterId = invitee?.invitedBy ?? null;
    if (inviterId === null) return;
    if (!(await this.tasks.completion(m, inviteeId, 'invited', TASK_KEY_ONCE))) {
      await this.tasks.creditTask(
        m,
        account,
        { task: 'invited', taskKey: TASK_KEY_ONCE, refId: `invited:${order.purchaseId}`, reason: '受邀好友首单奖励', activatesAt: order.activatesAt },
        'system:invite',
      );
    }
    const inviteeKey = String(inviteeId);
    const due = await this.tasks.completion(m, inviterId, INVITE_DUE, inviteeKey);
    const paid = await this.tasks.completion(m, inviterId, 'invite', inviteeKey);
    if (!due && !paid) {
      const now = this.clock();
      await m.getRepository(TaskCompletionEntity).insert({ memberId: inviterId, task: INVITE_DUE, taskKey: inviteeKey, month: localMonth(now, this.rules.timezone), points: 0, entryId: null, createdAt: now.getTime() });
    }
    return async () => {
      await this.settleInvite(inviterId, inviteeId);
    };
  };

  /**
   * Settles one pending inviter reward, in the inviter's transaction; idempotent: the INVITE_DUE row is re-read under
   * the inviter's lock and deleted in the same transaction as the outcome, and the unique (inviter, 'invite', invitee)
   * key forbids a second payment. The invitee's first order decides: still inside its return window, nothing yet
   * (false); refunded in full, the row goes without a reward; else the reward is paid. Returns whether the row was settled.
   */
  async settleInvite(inviterId: number, inviteeId: number): Promise<boolean> {
    const inviteeKey = String(inviteeId);
    const first = await this.ledger.tx.manager.getRepository(PurchaseEntity).find({ where: { memberId: inviteeId }, order: { createdAt: 'ASC', id: 'ASC' }, take: 1 });
    const order = first[0];
    const refunded = order !== undefined && order.refundedFen >= order.amountFen;
    if (order && !refunded && this.clock().getTime() < this.tasks.windowEndOf(order)) return false;
    return this.ledger.tx.run(async (m) => {
      const account = await this.ledger.lockAccount(m, inviterId);
      const due = await this.tasks.completion(m, inviterId, INVITE_DUE, inviteeKey);
      if (!due) return false;
      if (order && !refunded && !(await this.tasks.completion(m, inviterId, 'invite', inviteeKey))) {
        await this.tasks.creditTask(m, account, { task: 'invite', taskKey: inviteeKey, refId: `invite:${inviteeId}`, reason: '邀请好友首单奖励' }, 'system:invite');
      }
      await m.getRepository(TaskCompletionEntity).delete({ id: due.id });
      return true;
    });
  }

  /**
   * The sweep: settles pending inviter rewards whose orders are past their window (or refunded), oldest first, at most
   * SETTLE_BATCH_MAX per call. Safe to run from several instances at once (each row is settled under its inviter's
   * lock); one failing row does not stop the others. Rows still inside their window stay for a later sweep.
   */
  async settlePendingInvites(opts: { batchMax?: number } = {}): Promise<{ settled: number; failed: number }> {
    const batchMax = Math.min(opts.batchMax ?? InvitesService.SETTLE_BATCH_MAX, InvitesService.SETTLE_BATCH_MAX);
    const rows = await this.ledger.tx.manager.getRepository(TaskCompletionEntity).find({ where: { task: INVITE_DUE }, order: { id: 'ASC' }, take: batchMax });
    return this.settleRows(rows);
  }

  /** The member's own pending inviter rewards (called on their invite-code request). */
  async settleMine(memberId: number): Promise<{ settled: number; failed: number }> {
    const rows = await this.ledger.tx.manager
      .getRepository(TaskCompletionEntity)
      .find({ where: { memberId, task: INVITE_DUE }, order: { id: 'ASC' }, take: InvitesService.SETTLE_MINE_MAX });
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
