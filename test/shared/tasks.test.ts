import {
  checkInvite,
  INVITE_CHAIN_MAX,
  INVITE_CODE_ALPHABET,
  INVITE_CODE_LENGTH,
  nextShareSlot,
  planTaskEarning,
  taskPoints,
  TASKS,
  type InviteCheckInput,
} from '../../shared/src/rules/tasks';
import { sumLines } from '../../shared/src/rules/earn';
import { rules } from './fixtures';

describe('task amounts come from config', () => {
  test.each([
    ['review', 100],
    ['invite', 20],
    ['invited', 10],
    ['bind_card', 50],
    ['share', 5],
    ['survey', 10],
  ] as const)('%s = %i', (task, points) => {
    expect(taskPoints(task, rules)).toBe(points);
  });
  test('every task has an amount', () => {
    for (const task of TASKS) expect(Number.isInteger(taskPoints(task, rules))).toBe(true);
  });
});

describe('planTaskEarning: the monthly cap on non-purchase points (500)', () => {
  test.each([
    // task, used this month, granted, CAP line
    ['under the cap', 'review', 0, 100, null],
    ['exactly fills the cap', 'review', 400, 100, null],
    ['partly over', 'bind_card', 455, 45, -5],
    ['one point of room', 'survey', 499, 1, -9],
    ['already full', 'survey', 500, 0, -10],
    ['over (a cap lowered mid-month)', 'share', 620, 0, -5],
  ] as const)('%s', (_name, task, used, granted, cap) => {
    const e = planTaskEarning(task, rules, used);
    expect(e.total).toBe(granted);
    expect(sumLines(e.lines)).toBe(e.total);
    expect(e.lines[0]).toMatchObject({ kind: 'TASK', points: taskPoints(task, rules) });
    const capLine = e.lines.find((l) => l.kind === 'CAP');
    expect(capLine?.points ?? null).toBe(cap);
    expect(e.campaignId).toBeNull();
  });
});

describe('nextShareSlot: 3 a local day', () => {
  test.each([
    [0, '2026-06-15#1'],
    [1, '2026-06-15#2'],
    [2, '2026-06-15#3'],
  ])('after %i today -> %s', (done, key) => {
    expect(nextShareSlot('2026-06-15', done, rules)).toEqual({ ok: true, key, n: done + 1 });
  });
  test.each([3, 4, 100])('after %i today -> DAILY_LIMIT_REACHED', (done) => {
    expect(nextShareSlot('2026-06-15', done, rules)).toEqual({ ok: false, reason: 'DAILY_LIMIT_REACHED' });
  });
  test('a shareDailyMax of 0 closes the channel', () => {
    expect(nextShareSlot('2026-06-15', 0, { tasks: { ...rules.tasks, shareDailyMax: 0 } }).ok).toBe(false);
  });
});

describe('invite codes', () => {
  test('random codes draw from an alphabet without look-alikes, long enough not to be guessed (issue 8.5)', () => {
    expect(INVITE_CODE_ALPHABET).not.toMatch(/[01ILO]/);
    expect(new Set(INVITE_CODE_ALPHABET).size).toBe(INVITE_CODE_ALPHABET.length);
    expect(INVITE_CODE_ALPHABET.length ** INVITE_CODE_LENGTH).toBeGreaterThan(5e11);
  });
});

describe('checkInvite', () => {
  const base: InviteCheckInput = { inviteeId: 2, inviterId: 1, inviteeInvitedBy: null, inviteeHasPurchased: false, inviterAncestors: [], chainComplete: true };
  test.each([
    ['a fresh invite', {}, { ok: true, replay: false }],
    ['the same inviter again (a retry)', { inviteeInvitedBy: 1 }, { ok: true, replay: true }],
    ['self', { inviterId: 2 }, { ok: false, reason: 'SELF' }],
    ['a second inviter', { inviteeInvitedBy: 3 }, { ok: false, reason: 'ALREADY_INVITED' }],
    ['after the first purchase', { inviteeHasPurchased: true }, { ok: false, reason: 'ALREADY_PURCHASED' }],
    ['a direct loop (the inviter was invited by the invitee)', { inviterAncestors: [2] }, { ok: false, reason: 'LOOP' }],
    ['a loop up the chain', { inviterAncestors: [5, 7, 2] }, { ok: false, reason: 'LOOP' }],
    ['a long chain without the invitee', { inviterAncestors: [5, 7, 9] }, { ok: true, replay: false }],
    ['a chain cut at the bound', { inviterAncestors: Array.from({ length: INVITE_CHAIN_MAX }, (_, i) => 100 + i), chainComplete: false }, { ok: false, reason: 'CHAIN_TOO_LONG' }],
  ] as const)('%s', (_name, over, expected) => {
    expect(checkInvite({ ...base, ...over } as InviteCheckInput)).toEqual(expected);
  });
});
