import { addStoresAndStaff, loginMember, postPurchase, snapshotCounts, staffToken, startClerkApp, startTestApp, type TestApp } from './helpers';

/** Earning channels beyond purchase (issue 4 item 7) over HTTP, on SQLite and (TEST_DB=mysql) MariaDB. */

type Member = { token: string; id: number };

/** A clerk posts an order from the member's code (codes are single use: each purchase takes a fresh one). */
async function balanceOf(t: TestApp, m: Member): Promise<number> {
  return (await t.request('GET', '/api/v1/me', { token: m.token })).body.balance;
}

async function ledgerOf(t: TestApp, m: Member): Promise<any[]> {
  return (await t.request('GET', '/api/v1/me/ledger?limit=100', { token: m.token })).body.entries;
}

async function taskRows(t: TestApp): Promise<{ member_id: number; task: string; task_key: string; points: number }[]> {
  const rows = await t.ds.query('SELECT member_id, task, task_key, points FROM task_completion ORDER BY id');
  return rows.map((r: any) => ({ member_id: Number(r.member_id), task: r.task, task_key: r.task_key, points: Number(r.points) }));
}

async function invitedBy(t: TestApp): Promise<Record<number, number | null>> {
  const rows = await t.ds.query('SELECT id, invited_by FROM member ORDER BY id');
  return Object.fromEntries(rows.map((r: any) => [Number(r.id), r.invited_by === null ? null : Number(r.invited_by)]));
}

/** Logs members in, in order (ids ascending), as a tuple. */
async function members<N extends readonly string[]>(t: TestApp, ...names: N): Promise<{ [K in keyof N]: Member }> {
  const out: Member[] = [];
  for (const n of names) out.push(await loginMember(t, n));
  return out as { [K in keyof N]: Member };
}

const sum = (lines: { points: number }[]) => lines.reduce((s, l) => s + l.points, 0);

/** A review text long enough to earn (16 characters; the minimum is 15). */
const REVIEW = '咖啡很香,店员很热情,下次还来。';
const DAY_MS = 86_400_000;

/** Marketing publishes a survey (through the service, as POST /admin/surveys does), open for 90 days from now. */
async function publishSurvey(t: TestApp, o: { title?: string; points?: number; questions?: { text: string; options?: string[] }[] } = {}): Promise<number> {
  const now = t.clock().getTime();
  const s = await t.services.surveys.create(
    { staffId: null, username: 'test', role: 'marketing', storeId: null, ip: '127.0.0.1', requestId: 'test' },
    { title: o.title ?? '满意度', questions: o.questions ?? [{ text: '您满意吗?', options: ['满意', '不满意'] }], points: o.points ?? 10, startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 90 * DAY_MS).toISOString() },
  );
  return s.id;
}

describe('tasks: review, bind card, share, survey', () => {
  let t: TestApp;
  let clerk: string;
  let storeA: number;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    ({ storeA } = await addStoresAndStaff(t));
    clerk = await staffToken(t, 'clerk-a');
  });
  afterEach(() => t.close());

  test('review: once per own order, after the purchase; another member or an unknown order is 404', async () => {
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    const unknown = await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A-1', text: REVIEW } });
    expect(unknown.status).toBe(404); // not purchased yet
    const p = await postPurchase(t, clerk, alice, 'A-1', 10000);
    expect(p.pointsAwarded).toBe(100);
    const other = await t.request('POST', '/api/v1/me/tasks/review', { token: bob.token, body: { orderNo: 'A-1', text: REVIEW } });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const before = await snapshotCounts(t);
    const ok = await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A-1', text: REVIEW } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ task: 'review', points: 100, breakdown: [{ kind: 'TASK', label: '订单评价', points: 100 }], balance: 200 });
    expect((await snapshotCounts(t)).task_completion).toBe(before.task_completion! + 1);
    const again = await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A-1', storeId: storeA, text: REVIEW } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TASK_ALREADY_DONE');
    const [latest] = await ledgerOf(t, alice);
    expect(latest).toMatchObject({ code: 'EARN_TASK', delta: 100, refType: 'task', refId: `review:${p.purchaseId}`, reason: '评价订单 A-1' });
    expect(latest.breakdown).toEqual(ok.body.breakdown);
    // A fully refunded order no longer earns a review.
    await postPurchase(t, clerk, alice, 'A-2', 5000);
    const refund = await t.request('POST', '/api/v1/till/purchases/A-2/refunds', { token: clerk, body: { amountFen: 5000 }, headers: { 'Idempotency-Key': 'refund-a2-0001' } });
    expect(refund.status).toBe(201);
    const refunded = await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A-2', text: REVIEW } });
    expect(refunded.status).toBe(409);
    expect(refunded.body.error.code).toBe('NOT_ELIGIBLE');
    // Input and roles.
    expect((await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A 1', text: REVIEW } })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/me/tasks/review', { token: alice.token, body: { orderNo: 'A-1', text: REVIEW, extra: 1 } })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/me/tasks/review', { body: { orderNo: 'A-1' } })).status).toBe(401);
    expect((await t.request('POST', '/api/v1/me/tasks/review', { token: clerk, body: { orderNo: 'A-1' } })).status).toBe(403);
    expect(await balanceOf(t, alice)).toBe(200);
    expect(await t.verify()).toEqual([]);
  });

  test('bind card: 50 once per member; a bad card number is 400 and writes nothing', async () => {
    const alice = await loginMember(t, 'alice');
    const before = await snapshotCounts(t);
    for (const cardNo of ['1234567', '12345678901234567890', '6222 0212 3456', 12345678, '']) {
      const bad = await t.request('POST', '/api/v1/me/tasks/bind-card', { token: alice.token, body: { cardNo } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await snapshotCounts(t)).toEqual(before);
    const ok = await t.request('POST', '/api/v1/me/tasks/bind-card', { token: alice.token, body: { cardNo: '6222021234567890' } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ task: 'bind_card', points: 50, balance: 50 });
    const again = await t.request('POST', '/api/v1/me/tasks/bind-card', { token: alice.token, body: { cardNo: '6222029999999999' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TASK_ALREADY_DONE');
    expect(await taskRows(t)).toEqual([{ member_id: alice.id, task: 'bind_card', task_key: 'once', points: 50 }]);
    expect(await balanceOf(t, alice)).toBe(50);
    expect(await t.verify()).toEqual([]);
  });

  test('share: 5 points, 3 a Shanghai day; the 4th is 409 until local midnight', async () => {
    const alice = await loginMember(t, 'alice');
    for (let n = 1; n <= 3; n++) {
      const res = await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ task: 'share', points: 5, balance: 5 * n });
    }
    const fourth = await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token, body: {} });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('DAILY_LIMIT_REACHED');
    t.clock.set('2026-06-15T15:59:59Z'); // 23:59:59 on 15 June in Shanghai
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token })).status).toBe(409);
    t.clock.set('2026-06-15T16:00:00Z'); // 00:00 on 16 June in Shanghai (still the 15th in UTC)
    const next = await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token });
    expect(next.status).toBe(201);
    expect(next.body.balance).toBe(20);
    expect((await taskRows(t)).map((r) => r.task_key)).toEqual(['2026-06-15#1', '2026-06-15#2', '2026-06-15#3', '2026-06-16#1']);
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token, body: { to: 'x' } })).status).toBe(400);
    expect(await t.verify()).toEqual([]);
  });

  test('share: concurrent requests never pass the daily limit', async () => {
    const alice = await loginMember(t, 'alice');
    const results = await Promise.all(Array.from({ length: 8 }, () => t.request('POST', '/api/v1/me/tasks/share', { token: alice.token })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'DAILY_LIMIT_REACHED')).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
    expect(await balanceOf(t, alice)).toBe(15);
    expect(await t.verify()).toEqual([]);
  });

  test('survey: a published survey\'s points once per member, answers stored; an unknown id is 404; a bad id is 400', async () => {
    const alice = await loginMember(t, 'alice');
    const q3 = await publishSurvey(t, { title: 'Q3 满意度' });
    const nps = await publishSurvey(t, { title: 'NPS', points: 20, questions: [{ text: '推荐给朋友的可能性?', options: ['0', '5', '10'] }, { text: '理由' }] });
    const first = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: q3, answers: ['满意'] } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ task: 'survey', points: 10, balance: 10 });
    const same = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: q3, answers: ['不满意'] } });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('TASK_ALREADY_DONE');
    const other = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: nps, answers: ['10', '好喝'] } });
    expect(other.body).toMatchObject({ points: 20, balance: 30 });
    for (const surveyId of ['', '../x', 'q3-2026', -1, 0]) {
      expect((await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId, answers: ['满意'] } })).status).toBe(400);
    }
    expect((await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: 9999, answers: ['满意'] } })).status).toBe(404);
    const [latest] = await ledgerOf(t, alice);
    expect(latest).toMatchObject({ code: 'EARN_TASK', refType: 'task', refId: `survey:${nps}` });
    const stored = await t.ds.query(`SELECT survey_id, answers FROM survey_response WHERE member_id = ${alice.id} ORDER BY id`);
    expect(stored.map((r: any) => [Number(r.survey_id), JSON.parse(r.answers)])).toEqual([[q3, ['满意']], [nps, ['10', '好喝']]]);
    expect(await t.verify()).toEqual([]);
  });

  test('monthly cap on non-purchase points: partial grant with a CAP line, 0 once full, purchases never capped; the Shanghai month resets it', async () => {
    let alice = await loginMember(t, 'alice');
    expect(t.config.rules.nonPurchaseMonthlyCap).toBe(500);
    const surveys: number[] = [0];
    for (let i = 1; i <= 48; i++) surveys.push(await publishSurvey(t, { title: `s${i}` }));
    for (let i = 1; i <= 45; i++) {
      const res = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: surveys[i], answers: ['满意'] } });
      expect(res.body.points).toBe(10);
    }
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: alice.token })).body.points).toBe(5); // 455 this month
    const partial = await t.request('POST', '/api/v1/me/tasks/bind-card', { token: alice.token, body: { cardNo: '6222021234567890' } });
    expect(partial.status).toBe(201);
    expect(partial.body).toEqual({
      task: 'bind_card',
      points: 45,
      breakdown: [
        { kind: 'TASK', label: '绑定银行卡', points: 50 },
        { kind: 'CAP', label: '每月非消费积分上限 500 分', points: -5 },
      ],
      balance: 500,
    });
    expect(sum(partial.body.breakdown)).toBe(partial.body.points);
    const [entry] = await ledgerOf(t, alice);
    expect(entry).toMatchObject({ code: 'EARN_TASK', delta: 45, breakdown: partial.body.breakdown });
    // Full: the completion is recorded with 0 points (no ledger entry), so it cannot be claimed again later.
    const entriesBefore = (await snapshotCounts(t)).ledger_entry;
    const full = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: surveys[46], answers: ['满意'] } });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({ task: 'survey', points: 0, balance: 500 });
    expect(full.body.breakdown).toEqual([
      { kind: 'TASK', label: '问卷调查', points: 10 },
      { kind: 'CAP', label: '每月非消费积分上限 500 分', points: -10 },
    ]);
    expect((await snapshotCounts(t)).ledger_entry).toBe(entriesBefore);
    expect((await taskRows(t)).find((r) => r.task_key === String(surveys[46]))).toMatchObject({ task: 'survey', points: 0 });
    expect((await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: surveys[46], answers: ['满意'] } })).status).toBe(409);
    // Check-ins count towards the same cap.
    const checkin = await t.request('POST', '/api/v1/me/checkins', { token: alice.token });
    expect(checkin.body.points).toBe(0);
    expect(checkin.body.breakdown.some((l: any) => l.kind === 'CAP')).toBe(true);
    // Purchase points are never capped.
    const p = await postPurchase(t, clerk, alice, 'A-9', 10000);
    expect(p.pointsAwarded).toBe(100);
    expect(p.breakdown.some((l: any) => l.kind === 'CAP')).toBe(false);
    // 23:59 on 30 June in Shanghai: still June, still full.
    t.clock.set('2026-06-30T15:59:00Z');
    alice = await loginMember(t, 'alice'); // tokens last 7 days
    const lastMinute = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: surveys[47], answers: ['满意'] } });
    expect(lastMinute.body.points).toBe(0);
    // 00:00 on 1 July in Shanghai (UTC still says 30 June): a new month, a fresh cap.
    t.clock.set('2026-06-30T16:00:00Z');
    const july = await t.request('POST', '/api/v1/me/tasks/survey', { token: alice.token, body: { surveyId: surveys[48], answers: ['满意'] } });
    expect(july.body).toEqual({ task: 'survey', points: 10, breakdown: [{ kind: 'TASK', label: '问卷调查', points: 10 }], balance: 610 });
    expect(await t.verify()).toEqual([]);
  });
});

describe('invites: abuse refused; rewards only after the invitee\'s first purchase', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  const codeOf = async (m: Member) => (await t.request('GET', '/api/v1/me/invite-code', { token: m.token })).body.inviteCode as string;
  const invite = (invitee: Member, inviteCode: string) => t.request('POST', '/api/v1/me/invites', { token: invitee.token, body: { inviteCode } });

  test('self, a loop (direct or up the chain), a second inviter, and after a purchase: 409 INVITE_REFUSED, nothing written', async () => {
    const [alice, bob, carol, dave, erin] = await members(t, 'alice', 'bob', 'carol', 'dave', 'erin');
    const code = { alice: await codeOf(alice), bob: await codeOf(bob), carol: await codeOf(carol), dave: await codeOf(dave) };
    expect(code.alice).toMatch(/^[A-HJKMNP-Z2-9]{8}$/); // random, not the member id (issue 8.5)
    expect(code.alice).not.toBe(alice.id.toString(36).toUpperCase());
    expect(await codeOf(alice)).toBe(code.alice); // kept

    const refused = async (invitee: Member, inviteCode: string, reason: string) => {
      const counts = await snapshotCounts(t);
      const links = await invitedBy(t);
      const res = await invite(invitee, inviteCode);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'INVITE_REFUSED', details: { reason } });
      expect(await snapshotCounts(t)).toEqual(counts);
      expect(await invitedBy(t)).toEqual(links);
    };

    await refused(alice, code.alice, 'SELF');
    await refused(alice, code.alice.toLowerCase(), 'SELF');
    const ok = await invite(bob, code.alice); // alice -> bob
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ inviter: { nickname: expect.any(String) }, status: 'PENDING_FIRST_PURCHASE', inviterPoints: 20, inviteePoints: 10 });
    const replay = await invite(bob, code.alice); // the same inviter again: a retry, nothing new
    expect(replay.status).toBe(200);
    await refused(alice, code.bob, 'LOOP'); // alice -> bob -> alice
    expect((await invite(carol, code.bob)).status).toBe(201); // alice -> bob -> carol
    await refused(alice, code.carol, 'LOOP'); // alice -> bob -> carol -> alice
    await refused(carol, code.dave, 'ALREADY_INVITED');
    await postPurchase(t, clerk, erin, 'E-1', 1000);
    await refused(erin, code.alice, 'ALREADY_PURCHASED');
    // An unknown code is 404, a malformed one 400; neither writes.
    const counts = await snapshotCounts(t);
    expect((await invite(dave, 'ZZZZZZ')).status).toBe(404);
    expect((await invite(dave, 'no way')).status).toBe(400);
    expect((await t.request('POST', '/api/v1/me/invites', { token: clerk, body: { inviteCode: code.alice } })).status).toBe(403);
    expect(await snapshotCounts(t)).toEqual(counts);
    expect(await invitedBy(t)).toMatchObject({ [alice.id]: null, [bob.id]: alice.id, [carol.id]: bob.id, [dave.id]: null, [erin.id]: null });
    expect(await taskRows(t)).toEqual([]);
    expect(await t.verify()).toEqual([]);
  });

  test('two members inviting each other at once: at most one link, never a loop', async () => {
    const [alice, bob] = await members(t, 'alice', 'bob');
    const [ca, cb] = [await codeOf(alice), await codeOf(bob)];
    const results = await Promise.all([invite(bob, ca), invite(alice, cb), invite(bob, ca), invite(alice, cb)]);
    const links = await invitedBy(t);
    expect(links[alice.id] === null || links[bob.id] === null).toBe(true);
    expect(links[alice.id] !== null || links[bob.id] !== null).toBe(true);
    expect(results.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await t.verify()).toEqual([]);
  });

  test('invitee +10 pending with the first order; inviter +20 once that order is past its return window; never twice', async () => {
    const [alice, bob] = await members(t, 'alice', 'bob');
    expect((await invite(bob, await codeOf(alice))).status).toBe(201);
    t.clock.advance(3 * 3600_000); // some time passes (within the clerk's 8-hour token)
    expect(await balanceOf(t, alice)).toBe(0);
    expect(await balanceOf(t, bob)).toBe(0);
    expect(await taskRows(t)).toEqual([]);

    const first = await postPurchase(t, clerk, bob, 'B-1', 3000);
    expect(first.pointsAwarded).toBe(30);
    expect(first.breakdown).toEqual([{ kind: 'BASE', label: '消费 1 分/元', points: 30 }]);
    expect(first.balance).toBe(40); // 30 for the order + 10 invitee reward, both pending
    expect((await t.request('GET', '/api/v1/me', { token: bob.token })).body).toMatchObject({ balance: 40, available: 0, pending: 40 });
    expect(await balanceOf(t, alice)).toBe(0); // the inviter waits for the return window
    expect(await taskRows(t)).toEqual([
      { member_id: bob.id, task: 'invited', task_key: 'once', points: 10 },
      { member_id: alice.id, task: 'invite_due', task_key: String(bob.id), points: 0 },
    ]);
    const bobTask = (await ledgerOf(t, bob)).find((e) => e.code === 'EARN_TASK');
    expect(bobTask).toMatchObject({ delta: 10, refId: `invited:${first.purchaseId}` });
    expect(await t.services.invites.settlePendingInvites()).toEqual({ settled: 0, failed: 0 }); // still inside the window

    const second = await postPurchase(t, clerk, bob, 'B-2', 5000);
    expect(second.balance).toBe(90);
    t.clock.advance(7 * DAY_MS);
    expect(await t.services.invites.settlePendingInvites()).toEqual({ settled: 1, failed: 0 });
    const aliceAgain = await loginMember(t, 'alice');
    expect(await balanceOf(t, aliceAgain)).toBe(20);
    expect(await taskRows(t)).toEqual([
      { member_id: bob.id, task: 'invited', task_key: 'once', points: 10 },
      { member_id: alice.id, task: 'invite', task_key: String(bob.id), points: 20 },
    ]);
    const [aliceEntry] = await ledgerOf(t, aliceAgain);
    expect(aliceEntry).toMatchObject({ code: 'EARN_TASK', delta: 20, refType: 'task', refId: `invite:${bob.id}`, breakdown: [{ kind: 'TASK', label: '邀请好友首单奖励', points: 20 }] });
    // Nothing is left pending.
    expect(await t.services.invites.settlePendingInvites()).toEqual({ settled: 0, failed: 0 });
    const bobAgain = await loginMember(t, 'bob');
    expect((await t.request('GET', '/api/v1/me/invite-code', { token: aliceAgain.token })).body).toMatchObject({ invitees: { total: 1, rewarded: 1, pending: 0 }, invitedBy: null });
    expect((await t.request('GET', '/api/v1/me/invite-code', { token: bobAgain.token })).body).toMatchObject({ invitees: { total: 0, rewarded: 0, pending: 0 }, invitedBy: { nickname: expect.any(String) } });
    expect((await invite(bobAgain, await codeOf(aliceAgain))).body.status).toBe('REWARDED');
    expect(await t.verify()).toEqual([]);
  });

  test('the inviter\'s reward survives a failed after-commit step: the sweep (or the inviter\'s next request) pays it once, after the window', async () => {
    const [alice, bob, carol] = await members(t, 'alice', 'bob', 'carol');
    const code = await codeOf(alice);
    await invite(bob, code);
    await invite(carol, code);
    const settle = jest.spyOn(t.services.invites, 'settleInvite').mockRejectedValueOnce(new Error('connection lost'));
    const p = await postPurchase(t, clerk, bob, 'B-1', 2000);
    expect(p.balance).toBe(30); // the purchase and the invitee's reward stand
    expect(settle).toHaveBeenCalledTimes(1);
    expect(await balanceOf(t, alice)).toBe(0);
    expect(await taskRows(t)).toContainEqual({ member_id: alice.id, task: 'invite_due', task_key: String(bob.id), points: 0 });
    t.clock.advance(7 * DAY_MS);
    expect(await t.services.invites.settlePendingInvites()).toEqual({ settled: 1, failed: 0 });
    let aliceNow = await loginMember(t, 'alice');
    expect(await balanceOf(t, aliceNow)).toBe(20);
    expect(await t.services.invites.settlePendingInvites()).toEqual({ settled: 0, failed: 0 });
    expect(await t.services.invites.settleInvite(alice.id, bob.id)).toBe(false);
    expect(await balanceOf(t, aliceNow)).toBe(20);
    // Again for carol; this time alice's own invite-code request settles it, once the window is over.
    settle.mockRejectedValueOnce(new Error('connection lost'));
    clerk = await staffToken(t, 'clerk-a');
    await postPurchase(t, clerk, await loginMember(t, 'carol'), 'C-1', 2000);
    expect((await t.request('GET', '/api/v1/me/invite-code', { token: aliceNow.token })).body.invitees).toEqual({ total: 2, rewarded: 1, pending: 1 });
    expect(await balanceOf(t, aliceNow)).toBe(20);
    t.clock.advance(7 * DAY_MS);
    aliceNow = await loginMember(t, 'alice');
    const mine = await t.request('GET', '/api/v1/me/invite-code', { token: aliceNow.token });
    expect(mine.body.invitees).toEqual({ total: 2, rewarded: 2, pending: 0 });
    expect(await balanceOf(t, aliceNow)).toBe(40);
    expect((await taskRows(t)).filter((r) => r.task === 'invite_due')).toEqual([]);
    expect((await taskRows(t)).filter((r) => r.task === 'invite').map((r) => r.task_key)).toEqual([String(bob.id), String(carol.id)]);
    settle.mockRestore();
    expect(await t.verify()).toEqual([]);
  });
});
