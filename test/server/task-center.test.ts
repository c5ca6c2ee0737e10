import { addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

const DAY = 86_400_000;

/** The 任务中心 (issue 11 item 6): every channel with its state, over HTTP with the injected clock. */
describe('task center', () => {
  let t: TestApp;
  let clerk: string;

  let surveyId: number;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    // Marketing publishes a survey over HTTP, open for 90 days.
    const now = t.clock().getTime();
    const pub = await t.request('POST', '/api/v1/admin/surveys', {
      token: await staffToken(t, 'marketing'),
      body: { title: '冬季满意度调查', questions: [{ text: '您对门店服务满意吗?', options: ['满意', '一般', '不满意'] }, { text: '还想要什么新品?' }], points: 15, startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 90 * DAY).toISOString() },
    });
    expect(pub.status).toBe(201);
    surveyId = pub.body.survey.id;
  });
  afterAll(() => t.close());

  const center = async (token: string) => {
    const r = await t.request('GET', '/api/v1/me/tasks', { token });
    expect(r.status).toBe(200);
    return r.body;
  };
  const ch = (body: any, channel: string) => body.channels.find((c: any) => c.channel === channel);

  test('a new member sees every advertised channel with done, left and cap; each action moves its own line and the month', async () => {
    const m = await loginMember(t, 'tasker-1');
    let c = await center(m.token);
    expect(c.channels.map((x: any) => x.channel)).toEqual(['checkin', 'review', 'bind_card', 'survey', 'share', 'invite']);
    expect(ch(c, 'checkin')).toEqual({ channel: 'checkin', title: '每日签到', points: 1, period: 'day', done: 0, left: 1, cap: 1 });
    expect(ch(c, 'review')).toMatchObject({ points: 100, period: 'order', done: 0, left: 0, cap: null });
    expect(ch(c, 'bind_card')).toMatchObject({ points: 50, period: 'once', done: 0, left: 1, cap: 1 });
    expect(ch(c, 'survey')).toMatchObject({ points: 15, period: 'survey', done: 0, left: 1, cap: 1 });
    expect(ch(c, 'share')).toMatchObject({ points: 5, period: 'day', done: 0, left: 3, cap: 3 });
    expect(ch(c, 'invite')).toMatchObject({ points: 20, period: 'friend', done: 0, left: null, cap: null });
    expect(c.surveys).toMatchObject([{ id: surveyId, title: '冬季满意度调查', points: 15, done: false }]);
    const code = (await t.request('GET', '/api/v1/me/invite-code', { token: m.token })).body.inviteCode;
    expect(c.invite).toMatchObject({ code, invitees: { total: 0, rewarded: 0, pending: 0 }, inviterPoints: 20, inviteePoints: 10, invitedBy: null });
    expect(c.monthly).toEqual({ used: 0, cap: 500 });

    expect((await t.request('POST', '/api/v1/me/checkins', { token: m.token })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: m.token, body: {} })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: m.token, body: {} })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/tasks/bind-card', { token: m.token, body: { cardNo: '6222020200112233' } })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/tasks/survey', { token: m.token, body: { surveyId, answers: ['满意', '希望有热巧克力'] } })).status).toBe(201);
    c = await center(m.token);
    expect(ch(c, 'checkin')).toMatchObject({ done: 1, left: 0 });
    expect(ch(c, 'share')).toMatchObject({ done: 2, left: 1, cap: 3 });
    expect(ch(c, 'bind_card')).toMatchObject({ done: 1, left: 0 });
    expect(ch(c, 'survey')).toMatchObject({ done: 1, left: 0, cap: 1 });
    expect(c.surveys[0].done).toBe(true);
    expect(c.monthly.used).toBe(1 + 5 + 5 + 50 + 15);

    // The 3rd share fills the day; a 4th is refused and the line says 0 left.
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: m.token, body: {} })).status).toBe(201);
    expect((await t.request('POST', '/api/v1/me/tasks/share', { token: m.token, body: {} })).body.error.code).toBe('DAILY_LIMIT_REACHED');
    expect(ch(await center(m.token), 'share')).toMatchObject({ done: 3, left: 0 });

    // The next local day: the daily channels start again; the once ones stay done.
    t.clock.advance(DAY);
    c = await center(m.token);
    expect(ch(c, 'checkin')).toMatchObject({ done: 0, left: 1 });
    expect(ch(c, 'share')).toMatchObject({ done: 0, left: 3 });
    expect(ch(c, 'bind_card')).toMatchObject({ done: 1, left: 0 });
  });

  test('orders to review: own posted orders, newest first, gone once reviewed or fully refunded; invites count when the friend buys', async () => {
    clerk = await staffToken(t, 'clerk-a');
    const m = await loginMember(t, 'tasker-2');
    await postPurchase(t, clerk, m, 'TC-1', 5000);
    await postPurchase(t, clerk, m, 'TC-2', 8000);
    await postPurchase(t, clerk, m, 'TC-3', 3000);
    let c = await center(m.token);
    expect(c.reviewable.map((o: any) => o.orderNo)).toEqual(['TC-3', 'TC-2', 'TC-1']);
    expect(ch(c, 'review')).toMatchObject({ done: 0, left: 3 });

    const review = await t.request('POST', '/api/v1/me/tasks/review', { token: m.token, body: { orderNo: 'TC-2', storeId: c.reviewable[1].storeId, text: '咖啡很香,店员很热情,下次还来。' } });
    expect(review.status).toBe(201);
    const refund = await t.request('POST', '/api/v1/till/purchases/TC-3/refunds', { token: clerk, body: { amountFen: 3000 }, headers: { 'Idempotency-Key': 'tc-refund-0001' } });
    expect(refund.status).toBe(201);
    c = await center(m.token);
    expect(c.reviewable.map((o: any) => o.orderNo)).toEqual(['TC-1']);
    expect(ch(c, 'review')).toMatchObject({ done: 1, left: 1 });

    // A friend records m's invite code and makes a first purchase: m's invite line counts one.
    const friend = await loginMember(t, 'tasker-3');
    expect((await t.request('POST', '/api/v1/me/invites', { token: friend.token, body: { inviteCode: c.invite.code } })).status).toBe(201);
    expect((await center(friend.token)).invite.invitedBy).toBe('tasker-2');
    await postPurchase(t, clerk, friend, 'TC-F1', 2000);
    c = await center(m.token);
    // The inviter's reward waits out the order's return window (issue 8.5), then counts.
    expect(c.invite.invitees).toEqual({ total: 1, rewarded: 0, pending: 1 });
    t.clock.advance((t.config.rules.purchase.pendingDays + 1) * DAY);
    const again = await loginMember(t, 'tasker-2'); // a week on: a fresh sign-in
    c = await center(again.token);
    expect(ch(c, 'invite')).toMatchObject({ done: 1 });
    expect(c.invite.invitees).toEqual({ total: 1, rewarded: 1, pending: 0 });
    expect(await t.verify()).toEqual([]);
  });
});
