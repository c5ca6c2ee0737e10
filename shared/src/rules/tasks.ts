import type { RulesConfig } from '../config';
import { applyMonthlyCap, computeTaskEarning, type Earning } from './earn';

/**
 * Earning channels beyond purchase (review, invite, bind card, share, survey). Each completion is one
 * task_completion row keyed (member, task, taskKey); the key is what makes a channel "once per order",
 * "once", "N a day" or "once per survey". Amounts come from config (`rules.tasks`).
 */
export const TASKS = ['review', 'invite', 'invited', 'bind_card', 'share', 'survey'] as const;
export type TaskName = (typeof TASKS)[number];

/** The task key of a once-per-member task (bind card; the invitee's own invite reward). */
export const TASK_KEY_ONCE = 'once';

/** Points per task from config. `invite` is the inviter's reward, `invited` the invitee's. */
export function taskPoints(task: TaskName, rules: Pick<RulesConfig, 'tasks'>): number {
  const t = rules.tasks;
  switch (task) {
    case 'review':
      return t.review;
    case 'invite':
      return t.inviteInviter;
    case 'invited':
      return t.inviteInvitee;
    case 'bind_card':
      return t.bindCard;
    case 'share':
      return t.share;
    case 'survey':
      return t.survey;
  }
}

/** The line label the member sees in the breakdown (Chinese, like every other line). */
export const TASK_LABELS: Record<TaskName, string> = {
  review: '订单评价',
  invite: '邀请好友首单奖励',
  invited: '受邀首单奖励',
  bind_card: '绑定银行卡',
  share: '分享',
  survey: '问卷调查',
};

/**
 * A task's points under the monthly cap on non-purchase points: grants what fits under the cap and
 * shows the rest as a CAP line (0 points when the month is already full).
 */
export function planTaskEarning(task: TaskName, rules: Pick<RulesConfig, 'tasks' | 'nonPurchaseMonthlyCap'>, usedThisMonth: number, points?: number): Earning {
  // points: a task's own amount where it has one (a survey's points, set by marketing), else the config's.
  return applyMonthlyCap(computeTaskEarning(TASK_LABELS[task], points ?? taskPoints(task, rules)), usedThisMonth, rules.nonPurchaseMonthlyCap);
}

export type ShareSlot = { ok: true; key: string; n: number } | { ok: false; reason: 'DAILY_LIMIT_REACHED' };

/**
 * Which key today's next share takes: `${day}#${n}`, n = 1..shareDailyMax on the member's local day.
 * The unique (member, task, key) index turns two concurrent 3rd shares into one success and one refusal.
 */
export function nextShareSlot(day: string, doneToday: number, rules: Pick<RulesConfig, 'tasks'>): ShareSlot {
  const n = doneToday + 1;
  if (n > rules.tasks.shareDailyMax) return { ok: false, reason: 'DAILY_LIMIT_REACHED' };
  return { ok: true, key: `${day}#${n}`, n };
}

/** The prefix every share key of a local day starts with (to count the day's shares). */
export function shareKeyPrefix(day: string): string {
  return `${day}#`;
}

/**
 * Invite codes are random (issue 8.5: they were member ids in base 36, so guessable): 8 characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L), 31^8 ≈ 8.5 × 10^11 codes, drawn by the server with a CSPRNG and kept per member.
 */
export const INVITE_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const INVITE_CODE_LENGTH = 8;

/** How far up the inviter's chain a loop is looked for; a longer chain is refused rather than trusted. */
export const INVITE_CHAIN_MAX = 32;

export type InviteRefusal = 'SELF' | 'ALREADY_INVITED' | 'ALREADY_PURCHASED' | 'LOOP' | 'CHAIN_TOO_LONG';

export interface InviteCheckInput {
  inviteeId: number;
  inviterId: number;
  /** The invitee's current inviter, if any. */
  inviteeInvitedBy: number | null;
  inviteeHasPurchased: boolean;
  /**
   * The inviter's ancestors, nearest first: [inviter's inviter, their inviter, ...], as loaded up to
   * INVITE_CHAIN_MAX; `chainComplete` says whether the walk reached a member with no inviter.
   */
  inviterAncestors: number[];
  chainComplete: boolean;
}

/**
 * Whether the invitee may record this inviter. `replay` is the same inviter sent again (a retry):
 * accepted, nothing to write. Order matters only for the reason reported.
 */
export function checkInvite(i: InviteCheckInput): { ok: true; replay: boolean } | { ok: false; reason: InviteRefusal } {
  if (i.inviterId === i.inviteeId) return { ok: false, reason: 'SELF' };
  if (i.inviteeInvitedBy !== null) {
    return i.inviteeInvitedBy === i.inviterId ? { ok: true, replay: true } : { ok: false, reason: 'ALREADY_INVITED' };
  }
  if (i.inviteeHasPurchased) return { ok: false, reason: 'ALREADY_PURCHASED' };
  if (i.inviterAncestors.includes(i.inviteeId)) return { ok: false, reason: 'LOOP' };
  if (!i.chainComplete) return { ok: false, reason: 'CHAIN_TOO_LONG' };
  return { ok: true, replay: false };
}
