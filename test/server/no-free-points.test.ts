import { loginMember, postPurchase, snapshotCounts, staffToken, startClerkApp, type TestApp } from './helpers';

/**
 * Issue 8.5, no points for nothing, over HTTP. The measurements: a new member with no purchase farmed the
 * whole monthly cap (500) in 2 s from 47 requests (45 made-up survey ids, a bind-card, a share); 30 invitees with
 * 1-fen first purchases, all refunded, earned the inviter 500 and themselves 10 each.
 */
const DAY_MS = 86_400_000;
const REVIEW = '咖啡很香,店员很热情,下次还来。';
type Member = { token: string; id: number };

describe('no points for nothing', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  const me = async (m: Member) => (await t.request('GET', '/api/v1/me', { token: m.token })).body;
  const post = (m: Member, path: string, body: unknown) => t.request('POST', `/api/v1${path}`, { token: m.token, body });
  const refund = (orderNo: string, amountFen: number) =>
    t.request('POST', `/api/v1/till/purchases/${orderNo}/refunds`, { token: clerk, body: { amountFen }, headers: { 'Idempotency-Key': `refund-${orderNo}` } });

  test('the 47-request farm: made-up survey ids earn nothing (404), a card already rewarded earns nothing (409); only the share pays', async () => {
    const alice = await loginMember(t, 'alice');
    expect((await post(alice, '/me/tasks/bind-card', { cardNo: '6222021234567890' })).status).toBe(201); // alice's own card: 50, once
    const mallory = await loginMember(t, 'mallory');
    const statuses: number[] = [];
    for (let i = 1; i <= 45; i++) statuses.push((await post(mallory, '/me/tasks/survey', { surveyId: i, answers: ['x'] })).status);
    const card = await post(mallory, '/me/tasks/bind-card', { cardNo: '6222021234567890' });
    const share = await post(mallory, '/me/tasks/share', {});
    expect(statuses).toEqual(Array(45).fill(404));
    expect(card.status).toBe(409);
    expect(card.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'CARD_ALREADY_REWARDED' } });
    expect(share.status).toBe(201);
    expect((await me(mallory)).balance).toBe(5); // was 500
    // Her own, never-rewarded card still earns, once; a second card does not.
    expect((await post(mallory, '/me/tasks/bind-card', { cardNo: '6222020000000001' })).body.points).toBe(50);
    expect((await post(mallory, '/me/tasks/bind-card', { cardNo: '6222020000000002' })).body.error.code).toBe('TASK_ALREADY_DONE');
    // Only a keyed hash is kept: the number appears nowhere.
    const rows = await t.ds.query('SELECT card_hash, member_id FROM card_binding ORDER BY id');
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.card_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('6222021234567890');
    expect(await t.verify()).toEqual([]);
  });

  test('30 invitees with 1-fen first purchases, all refunded inside the window: the inviter earns 0 (was 500), each invitee 0 (was 10)', async () => {
    const alice = await loginMember(t, 'alice');
    const code = (await t.request('GET', '/api/v1/me/invite-code', { token: alice.token })).body.inviteCode;
    const invitees: Member[] = [];
    for (let i = 0; i < 30; i++) {
      const m = await loginMember(t, `sock-${i}`);
      expect((await post(m, '/me/invites', { inviteCode: code })).status).toBe(201);
      await postPurchase(t, clerk, m, `S-${i}`, 1);
      expect((await refund(`S-${i}`, 1)).status).toBe(201);
      invitees.push(m);
    }
    t.clock.advance(7 * DAY_MS + 1000);
    await t.services.invites.settlePendingInvites();
    const aliceNow = await loginMember(t, 'alice');
    expect((await me(aliceNow)).balance).toBe(0);
    expect((await t.request('GET', '/api/v1/me/invite-code', { token: aliceNow.token })).body.invitees).toEqual({ total: 30, rewarded: 0, pending: 0 });
    for (const m of invitees.slice(0, 3)) {
      const again = await loginMember(t, `sock-${invitees.indexOf(m)}`);
      expect((await me(again)).balance).toBe(0);
    }
    const sums = await t.ds.query("SELECT COALESCE(SUM(delta), 0) AS s FROM ledger_entry WHERE ref_type = 'task'");
    expect(Number(sums[0].s)).toBe(0); // every invitee reward credited was reversed
    expect(await t.verify()).toEqual([]);
  }, 240_000); // 150 requests: MariaDB on a loaded shared machine needs more than the default minute

  test('an invitee whose order stands: +10 pending until the window ends; a refund after the window changes nothing', async () => {
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    await post(bob, '/me/invites', { inviteCode: (await t.request('GET', '/api/v1/me/invite-code', { token: alice.token })).body.inviteCode });
    await postPurchase(t, clerk, bob, 'B-1', 1000);
    expect(await me(bob)).toMatchObject({ balance: 20, available: 0, pending: 20 });
    t.clock.advance(7 * DAY_MS);
    const bobNow = await loginMember(t, 'bob');
    expect(await me(bobNow)).toMatchObject({ balance: 20, available: 20, pending: 0 });
    clerk = await staffToken(t, 'clerk-a');
    expect((await refund('B-1', 1000)).body.pointsReversed).toBe(10); // the order's own points
    expect((await me(bobNow)).balance).toBe(10); // the invite reward stands: the window was over
  });

  test('review: needs an order that earned points and a text of at least 15 characters (stored); pending; reversed by a full refund inside the window', async () => {
    const alice = await loginMember(t, 'alice');
    await postPurchase(t, clerk, alice, 'TINY', 1); // earns 0 points
    await postPurchase(t, clerk, alice, 'R-1', 10000);
    await postPurchase(t, clerk, alice, 'R-2', 10000);
    const before = await snapshotCounts(t);
    const tiny = await post(alice, '/me/tasks/review', { orderNo: 'TINY', text: REVIEW });
    expect(tiny.status).toBe(409);
    expect(tiny.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'ORDER_EARNED_NO_POINTS' } });
    for (const text of ['好', '很好很好很好很好很好很好很', '               好的               ', undefined]) {
      expect((await post(alice, '/me/tasks/review', { orderNo: 'R-1', text })).status).toBe(400);
    }
    expect(await snapshotCounts(t)).toEqual(before);
    const ok = await post(alice, '/me/tasks/review', { orderNo: 'R-1', text: `  ${REVIEW}  ` });
    expect(ok.status).toBe(201);
    expect(ok.body.points).toBe(100);
    expect(await me(alice)).toMatchObject({ balance: 300, available: 0, pending: 300 }); // the review waits with its order
    const stored = await t.ds.query('SELECT text, member_id FROM order_review');
    expect(stored).toEqual([{ text: REVIEW, member_id: alice.id }]);
    expect((await post(alice, '/me/tasks/review', { orderNo: 'R-2', text: REVIEW })).status).toBe(201);
    // R-1 refunded in full inside its window: its points and its review's go; a partial refund of R-2 keeps the review.
    // 400 before: two orders and two reviews; R-1's order points and its review's go.
    expect((await refund('R-1', 10000)).body).toMatchObject({ pointsReversed: 100, balance: 200 });
    expect((await me(alice)).balance).toBe(200);
    const entries = (await t.request('GET', '/api/v1/me/ledger?limit=20', { token: alice.token })).body.entries;
    expect(entries.filter((e: any) => e.code === 'REFUND_REVERSAL').map((e: any) => e.delta).sort()).toEqual([-100, -100]);
    expect((await t.request('POST', '/api/v1/till/purchases/R-2/refunds', { token: clerk, body: { amountFen: 5000 }, headers: { 'Idempotency-Key': 'refund-R-2-half' } })).body.pointsReversed).toBe(50);
    expect((await me(alice)).balance).toBe(150);
    expect(await t.verify()).toEqual([]);
  });

  test('surveys: marketing publishes (admin route, audited), members list the open ones and answer once; closed or unknown ids are 404; wrong answers 400', async () => {
    const marketing = await staffToken(t, 'marketing');
    const body = {
      title: '门店服务满意度',
      questions: [{ text: '您对本次服务满意吗?', options: ['满意', '一般', '不满意'] }, { text: '还有什么建议?' }],
      points: 15,
      startsAt: '2026-06-15T00:00:00+08:00',
      endsAt: '2026-06-30T00:00:00+08:00',
    };
    expect((await t.request('POST', '/api/v1/admin/surveys', { token: clerk, body })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/admin/surveys', { token: marketing, body: { ...body, endsAt: body.startsAt } })).status).toBe(400);
    const created = await t.request('POST', '/api/v1/admin/surveys', { token: marketing, body });
    expect(created.status).toBe(201);
    const id = created.body.survey.id;
    const later = await t.request('POST', '/api/v1/admin/surveys', { token: marketing, body: { ...body, title: '七月问卷', startsAt: '2026-07-01T00:00:00+08:00', endsAt: '2026-07-31T00:00:00+08:00' } });
    const audit = await t.ds.query("SELECT action, target_id FROM audit_log WHERE action = 'survey.create' ORDER BY id");
    expect(audit.map((a: any) => a.target_id)).toEqual([String(id), String(later.body.survey.id)]);

    const alice = await loginMember(t, 'alice');
    const open = await t.request('GET', '/api/v1/me/surveys', { token: alice.token });
    expect(open.body.surveys).toEqual([expect.objectContaining({ id, title: '门店服务满意度', points: 15, done: false })]);
    const before = await snapshotCounts(t);
    for (const answers of [['满意'], ['很好', '无'], ['满意', '']]) {
      expect((await post(alice, '/me/tasks/survey', { surveyId: id, answers })).status).toBe(400);
    }
    expect((await post(alice, '/me/tasks/survey', { surveyId: later.body.survey.id, answers: ['满意', '无'] })).status).toBe(404); // not open yet
    expect(await snapshotCounts(t)).toEqual(before);
    const ok = await post(alice, '/me/tasks/survey', { surveyId: id, answers: ['一般', '希望多一些新品'] });
    expect(ok.status).toBe(201);
    expect(ok.body.points).toBe(15);
    expect((await post(alice, '/me/tasks/survey', { surveyId: id, answers: ['满意', '无'] })).body.error.code).toBe('TASK_ALREADY_DONE');
    expect((await t.request('GET', '/api/v1/me/surveys', { token: alice.token })).body.surveys[0].done).toBe(true);
    const list = await t.request('GET', '/api/v1/admin/surveys', { token: marketing });
    expect(list.body.surveys.find((s: any) => s.id === id)).toMatchObject({ responses: 1, questions: body.questions });
    t.clock.set('2026-06-30T00:00:00+08:00'); // closed
    const bob = await loginMember(t, 'bob');
    expect((await post(bob, '/me/tasks/survey', { surveyId: id, answers: ['满意', '无'] })).status).toBe(404);
    expect(await t.verify()).toEqual([]);
  });
});
