import { addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

const DAY = 86_400_000;

/** Disputes with a 7-day answer (issue 11 item 2), over HTTP with the injected clock. */
describe('disputes', () => {
  let t: TestApp;
    let key = 0;
  const newKey = () => `dispute-key-${++key}`;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterAll(() => t.close());

  const file = (token: string, body: unknown, k: string | null = newKey()) => t.request('POST', '/api/v1/me/disputes', { token, body, headers: k ? { 'Idempotency-Key': k } : {} });
  // Staff sessions last 8 hours and the clock moves days here: each staff call signs in afresh.
  const as = (who: string) => staffToken(t, who);
  const queue = async (who: string, status?: string) => t.request('GET', `/api/v1/admin/disputes${status ? `?status=${status}` : ''}`, { token: await as(who) });
  const answer = async (who: string, id: number, body: unknown) => t.request('POST', `/api/v1/admin/disputes/${id}/answer`, { token: await as(who), body });

  test('a member files a dispute about an own entry (idempotent by key), follows it, and gets an answer with points and a notice', async () => {
    const m = await loginMember(t, 'disputer-1');
    const checkin = await t.request('POST', '/api/v1/me/checkins', { token: m.token });
    expect(checkin.status).toBe(201);
    const entryId = (await t.request('GET', '/api/v1/me/ledger', { token: m.token })).body.entries[0].id;

    const k = newKey();
    const filed = await file(m.token, { entryId, text: '签到积分少了,连续签到奖励没有到账' }, k);
    expect(filed.status).toBe(201);
    const d = filed.body.dispute;
    expect(d).toMatchObject({ status: 'open', text: '签到积分少了,连续签到奖励没有到账', images: [], answer: null, entry: { id: entryId, code: 'EARN_CHECKIN', delta: 1 } });
    expect(d.createdAt).toBe('2026-06-15T04:00:00.000Z');
    expect(d.dueAt).toBe(new Date(Date.parse('2026-06-15T04:00:00Z') + 7 * DAY).toISOString());
    const replay = await file(m.token, { entryId, text: '签到积分少了,连续签到奖励没有到账' }, k);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows(t, 'dispute')).toBe(1);

    // Staff see it with the time left; 3 days on, it has 4 days left.
    t.clock.advance(3 * DAY);
    const q = await queue('service');
    expect(q.status).toBe(200);
    expect(q.body.slaDays).toBe(7);
    const row = q.body.disputes.find((x: any) => x.id === d.id);
    expect(row).toMatchObject({ status: 'open', overdue: false, msLeft: 4 * DAY, member: { id: m.id, nickname: 'disputer-1' }, answeredInTime: null });

    const ans = await answer('service', d.id, { text: '已核实,补发连签奖励', adjustPoints: 5 });
    expect(ans.status).toBe(200);
    expect(ans.body.dispute).toMatchObject({ status: 'answered', answeredBy: 'service', answeredInTime: true, answer: { text: '已核实,补发连签奖励', adjustPoints: 5 }, adjustment: { points: 5, status: 'applied' } });
    // The adjustment is the back office's, linked to the dispute; the member's balance moved.
    const adj = await t.ds.query("SELECT points, link_type, link_id, status FROM adjustment WHERE link_type = 'dispute'");
    expect(adj).toEqual([{ points: 5, link_type: 'dispute', link_id: String(d.id), status: 'applied' }]);
    expect((await t.request('GET', '/api/v1/me', { token: m.token })).body.balance).toBe(6);
    // A second answer is refused and writes nothing.
    const again = await answer('admin', d.id, { text: '再答一次', adjustPoints: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DISPUTE_CLOSED');
    expect(await countRows(t, 'adjustment')).toBe(1);

    const mine = await t.request('GET', '/api/v1/me/disputes', { token: m.token });
    expect(mine.body.disputes[0]).toMatchObject({ id: d.id, status: 'answered', answer: { text: '已核实,补发连签奖励', adjustPoints: 5, answeredAt: new Date(Date.parse('2026-06-15T04:00:00Z') + 3 * DAY).toISOString() } });
    const notes = await t.request('GET', '/api/v1/me/notifications', { token: m.token });
    expect(notes.body.notifications[0]).toMatchObject({ kind: 'DISPUTE_ANSWERED', title: '您的积分申诉已答复', read: false });
    expect(notes.body.notifications[0].body).toContain('补发 5 分');
    expect(await t.ds.query("SELECT action FROM audit_log WHERE action LIKE 'dispute.%' OR action LIKE 'adjustment.%' ORDER BY id")).toEqual([{ action: 'adjustment.apply' }, { action: 'dispute.answer' }]);

    // The member settles it.
    const closed = await t.request('POST', `/api/v1/me/disputes/${d.id}/close`, { token: m.token });
    expect(closed.body.dispute).toMatchObject({ status: 'closed' });
    expect((await t.request('POST', `/api/v1/me/disputes/${d.id}/close`, { token: m.token })).body.error.code).toBe('DISPUTE_CLOSED');
    expect(await t.verify()).toEqual([]);
  });

  test('the queue sorts open disputes by deadline; overdue ones are flagged, counted and on the admin dashboard; answered-in-time is counted', async () => {
    const a = await loginMember(t, 'disputer-2');
    const b = await loginMember(t, 'disputer-3');
    const start = t.clock().getTime();
    // Other tests' disputes are settled by now; this one counts from what is open when it starts.
    const open0 = (await queue('service', 'open')).body.disputes.filter((x: any) => x.overdue === false).length;
    expect((await queue('service', 'open')).body.counts.overdue).toBe(0);
    const ours = (q: any) => q.body.disputes.filter((x: any) => [a.id, b.id].includes(x.member.id));
    const first = (await file(a.token, { text: '第一笔申诉:消费积分未到账' })).body.dispute;
    t.clock.advance(DAY);
    const second = (await file(b.token, { text: '第二笔申诉:兑换扣分有误' })).body.dispute;
    t.clock.advance(DAY);
    const third = (await file(a.token, { text: '第三笔申诉:邀请奖励未到账' })).body.dispute;

    // 6.5 days after the first: none overdue yet.
    t.clock.set(new Date(start + 6.5 * DAY));
    let q = await queue('service', 'open');
    expect(ours(q).map((x: any) => x.id)).toEqual([first.id, second.id, third.id]);
    expect(q.body.counts).toEqual({ open: open0 + 3, overdue: 0 });

    // Past the first's deadline: it is overdue (negative time left), the admin dashboard says so.
    t.clock.set(new Date(start + 7 * DAY + 3600_000));
    q = await queue('service', 'open');
    expect(q.body.disputes[0]).toMatchObject({ id: first.id, overdue: true, msLeft: -3600_000 });
    expect(ours(q)[1]).toMatchObject({ id: second.id, overdue: false });
    expect(q.body.counts).toEqual({ open: open0 + 3, overdue: 1 });
    const dash = await t.request('GET', '/api/v1/admin/dashboard', { token: await as('admin') });
    expect(dash.body.cards.find((c: any) => c.key === 'disputes-overdue')).toMatchObject({ value: 1, tone: 'attention', link: { page: 'disputes', query: { status: 'open' } } });

    // One answered late, one in time; the SLA count says 1 of 2 in time.
    expect((await answer('admin', first.id, { text: '抱歉回复晚了,已核实无误' })).body.dispute).toMatchObject({ answeredInTime: false, adjustment: null });
    expect((await answer('service', second.id, { text: '已核实,兑换扣分正确' })).body.dispute.answeredInTime).toBe(true);
    const stats = await t.services.disputes.slaStats(start + 1, t.clock().getTime() + 1); // after the first test's answer (made at start)
    expect(stats).toEqual({ answered: 2, answeredInTime: 2 - 1, overdueOpen: 0 });
    q = await queue('service');
    expect(ours(q).map((x: any) => [x.id, x.status])).toEqual([[third.id, 'open'], [second.id, 'answered'], [first.id, 'answered']]); // open first, then the rest newest first
    const statuses = q.body.disputes.map((x: any) => x.status);
    expect(statuses.lastIndexOf('open')).toBeLessThan(statuses.findIndex((x: string) => x !== 'open'));
    expect((await queue('service', 'answered')).body.disputes.every((x: any) => x.status === 'answered')).toBe(true);
    const dash2 = await t.request('GET', '/api/v1/admin/dashboard', { token: await as('admin') });
    expect(dash2.body.cards.find((c: any) => c.key === 'disputes-overdue')).toMatchObject({ value: 0, tone: 'normal' });
  });

  test('refusals write nothing: someone else\'s entry is 404, bad input 400, too many open 409, wrong roles 403, a debit beyond the balance 409', async () => {
    const m = await loginMember(t, 'disputer-4');
    const other = await loginMember(t, 'disputer-5');
    await grantPoints(t, other.id, 10);
    const otherEntry = (await t.request('GET', '/api/v1/me/ledger', { token: other.token })).body.entries[0].id;
    const before = await countRows(t, 'dispute');
    expect((await file(m.token, { entryId: otherEntry, text: '别人的流水也想申诉' })).status).toBe(404);
    expect((await file(m.token, { text: '短' })).status).toBe(400);
    expect((await file(m.token, { text: '图片地址不对的申诉', images: ['javascript:alert(1)'] })).status).toBe(400);
    expect((await file(m.token, { text: '外部链接的图片不收', images: ['https://example.com/shot.png'] })).status).toBe(400); // images are uploads (dispute-images.test.ts)
    expect((await file(m.token, { text: '没有幂等键的申诉' }, null)).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await countRows(t, 'dispute')).toBe(before);

    for (let i = 0; i < 5; i++) expect((await file(m.token, { text: `第 ${i + 1} 个待处理的申诉` })).status).toBe(201);
    const sixth = await file(m.token, { text: '第六个申诉应被拒绝' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.code).toBe('DISPUTE_LIMIT');

    // Withdrawn while open: the member may file again.
    const list = (await t.request('GET', '/api/v1/me/disputes', { token: m.token })).body.disputes;
    expect((await t.request('POST', `/api/v1/me/disputes/${list[0].id}/close`, { token: m.token })).body.dispute.status).toBe('closed');
    expect((await t.request('POST', `/api/v1/me/disputes/${list[1].id}/close`, { token: other.token })).status).toBe(404);
    expect((await answer('service', list[0].id, { text: '已撤回的也不能答' })).body.error.code).toBe('DISPUTE_CLOSED');

    expect((await queue('marketing')).status).toBe(403);
    expect((await queue('clerk-a')).status).toBe(403);
    expect((await t.request('GET', '/api/v1/admin/disputes', { token: m.token })).status).toBe(403);
    expect((await answer('marketing', list[1].id, { text: '运营不能答复' })).status).toBe(403);

    const adjBefore = await countRows(t, 'adjustment');
    const tooMuch = await answer('service', list[1].id, { text: '扣回多发积分', adjustPoints: -50 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await countRows(t, 'adjustment')).toBe(adjBefore);
    expect((await queue('service', 'open')).body.disputes.find((x: any) => x.id === list[1].id).status).toBe('open');
  });

  test('a large adjustment answered by service waits for an admin (pending), linked to the dispute; the dispute is answered', async () => {
    const m = await loginMember(t, 'disputer-6');
    const d = (await file(m.token, { text: '大额消费积分没有到账' })).body.dispute;
    const ans = await answer('service', d.id, { text: '已提交补发申请,审批后到账', adjustPoints: 5000 });
    expect(ans.status).toBe(200);
    expect(ans.body.dispute).toMatchObject({ status: 'answered', adjustment: { points: 5000, status: 'pending' } });
    expect((await t.request('GET', '/api/v1/me', { token: m.token })).body.balance).toBe(0);
    const pending = await t.request('GET', '/api/v1/admin/adjustments?status=pending', { token: await as('admin') });
    expect(pending.body.adjustments[0]).toMatchObject({ points: 5000, link: { type: 'dispute', id: String(d.id) } });
  });

  test('concurrent answers: exactly one wins, one adjustment, one notice', async () => {
    const m = await loginMember(t, 'disputer-7');
    const d = (await file(m.token, { text: '并发答复测试申诉' })).body.dispute;
    const adjBefore = await countRows(t, 'adjustment');
    const results = await Promise.all([answer('service', d.id, { text: '答复一', adjustPoints: 3 }), answer('admin', d.id, { text: '答复二', adjustPoints: 3 }), answer('service', d.id, { text: '答复三', adjustPoints: 3 })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(await countRows(t, 'adjustment')).toBe(adjBefore + 1);
    expect(Number((await t.ds.query("SELECT COUNT(*) AS n FROM notification WHERE kind = 'DISPUTE_ANSWERED' AND member_id = ?", [m.id]))[0].n)).toBe(1);
    expect(await t.verify()).toEqual([]);
  });
});
