import { loginMember, postPurchase, staffToken, startClerkApp, type TestApp } from './helpers';

/**
 * The member's notices (GET /me/notifications, POST /me/notifications/read): written by a purchase at the till
 * and by the expiry job's reminders, read only by their member, paged newest first by id.
 */
type Member = { token: string; id: number };

function notices(t: TestApp, member: Member, query = '') {
  return t.request('GET', `/api/v1/me/notifications${query}`, { token: member.token });
}

describe('notifications: the member reads their own notices', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  test('a purchase notice with amount and points; expiry reminders; nobody else sees them; mark read', async () => {
    let alice: Member = await loginMember(t, 'alice');
    let bob: Member = await loginMember(t, 'bob');
    await postPurchase(t, clerk, alice, 'N-1', 12800);

    const first = await notices(t, alice);
    expect(first.status).toBe(200);
    expect(first.body.unread).toBe(1);
    expect(first.body.nextCursor).toBeNull();
    expect(first.body.notifications).toHaveLength(1);
    const purchase = first.body.notifications[0];
    expect(purchase).toEqual({ id: expect.any(Number), kind: 'PURCHASE', title: expect.any(String), body: expect.any(String), createdAt: t.clock().toISOString(), read: false });
    expect(purchase.body).toContain('128.00元');
    expect(purchase.body).toContain('获得128积分');
    expect(purchase.body).toContain('国贸旗舰店');

    // 2026 points expire at the Shanghai new year 2028; on 2027-10-15 that is within 90 days.
    t.clock.set('2027-10-15T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ remindersCreated: 1 });
    alice = await loginMember(t, 'alice'); // tokens live 7 days
    bob = await loginMember(t, 'bob');
    const after = await notices(t, alice);
    expect(after.body.unread).toBe(2);
    expect(after.body.notifications.map((n: any) => n.kind)).toEqual(['EXPIRY_REMINDER', 'PURCHASE']);
    expect(after.body.notifications[0].body).toContain('128 分将于 12月31日 过期');
    expect(after.body.notifications[0].read).toBe(false);

    // Bob sees none of them, and marking his (none) read leaves alice's unread.
    const bobs = await notices(t, bob);
    expect(bobs.status).toBe(200);
    expect(bobs.body).toEqual({ notifications: [], nextCursor: null, unread: 0 });
    // Bob naming alice's notice ids marks nothing of hers (ids are matched within the caller's own notices).
    const aliceIds = after.body.notifications.map((n: any) => n.id);
    const bobRead = await t.request('POST', '/api/v1/me/notifications/read', { token: bob.token, body: { ids: aliceIds } });
    expect(bobRead.status).toBe(200);
    expect(bobRead.body).toEqual({ unread: 0, marked: 0 });
    expect((await notices(t, alice)).body.unread).toBe(2);
    // A cursor from alice's page does not open her rows to bob.
    expect((await notices(t, bob, `?cursor=${after.body.notifications[0].id + 1}`)).body.notifications).toEqual([]);

    // Read by id: the one she saw, then the other; the unread count is exact after each.
    const one = await t.request('POST', '/api/v1/me/notifications/read', { token: alice.token, body: { ids: [aliceIds[0]] } });
    expect(one.body).toEqual({ unread: 1, marked: 1 });
    expect((await notices(t, alice)).body.notifications.map((n: any) => n.read)).toEqual([true, false]);
    expect((await t.request('POST', '/api/v1/me/notifications/read', { token: alice.token, body: {} })).status).toBe(400);
    const read = await t.request('POST', '/api/v1/me/notifications/read', { token: alice.token, body: { ids: aliceIds } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ unread: 0, marked: 1 });
    const seen = await notices(t, alice);
    expect(seen.body.unread).toBe(0);
    expect(seen.body.notifications.map((n: any) => n.read)).toEqual([true, true]);
    // A new notice after that is unread again.
    clerk = await staffToken(t, 'clerk-a');
    await postPurchase(t, clerk, alice, 'N-2', 500);
    expect((await notices(t, alice)).body.unread).toBe(1);
    expect(await t.verify()).toEqual([]);
  });

  test('pages newest first with a cursor; limit 1..50; members only', async () => {
    const alice: Member = await loginMember(t, 'alice');
    for (let i = 1; i <= 5; i++) await postPurchase(t, clerk, alice, `P-${i}`, i * 100);
    const seen: any[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: any = await notices(t, alice, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.unread).toBe(5);
      expect(page.body.notifications.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.notifications);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    const ids = seen.map((n) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(5);
    // Newest first: the 5.00 yuan purchase, then 4.00 ... 1.00.
    expect(seen.map((n) => /消费([\d.]+)元/.exec(n.body)![1])).toEqual(['5.00', '4.00', '3.00', '2.00', '1.00']);

    expect((await notices(t, alice)).body.notifications).toHaveLength(5); // default limit 20
    expect((await notices(t, alice, '?limit=50')).status).toBe(200);
    for (const bad of ['?limit=51', '?limit=0', '?limit=-1', '?limit=ten', '?limit=1.5', '?limit=', '?cursor=0', '?cursor=abc']) {
      const res = await notices(t, alice, bad);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }

    expect((await t.request('GET', '/api/v1/me/notifications')).status).toBe(401);
    expect((await t.request('POST', '/api/v1/me/notifications/read', { body: { all: true } })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/me/notifications', { token: clerk })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/me/notifications/read', { token: clerk, body: { all: true } })).status).toBe(403);
    expect((await notices(t, alice)).body.unread).toBe(5);
  });
});
