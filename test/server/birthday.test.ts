import { postPurchase, staffToken, addStoresAndStaff, loginMember, snapshotCounts, startTestApp, type TestApp } from './helpers';

/** Birthday (issue 4 item 8): set once by the member, corrected by an admin, double points in the Shanghai birthday month. */

type Member = { token: string; id: number };

const setOwn = (t: TestApp, m: Member, birthday: unknown) => t.request('PUT', '/api/v1/me/birthday', { token: m.token, body: { birthday } });
const birthdayOf = async (t: TestApp, m: Member) => (await t.request('GET', '/api/v1/me', { token: m.token })).body.member.birthday;
const sum = (lines: { points: number }[]) => lines.reduce((s, l) => s + l.points, 0);

describe('birthday', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' }); // 12:00 on 15 June in Shanghai
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('a member sets it once; a second time is 409 BIRTHDAY_ALREADY_SET; bad input is 400', async () => {
    const alice = await loginMember(t, 'alice');
    for (const bad of ['1990-6-20', '20-06-1990', '1990-13-01', '', 19900620]) {
      const res = await setOwn(t, alice, bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await birthdayOf(t, alice)).toBeNull();
    const first = await setOwn(t, alice, '1990-06-20');
    expect(first.status).toBe(200);
    expect(first.body.member).toMatchObject({ id: alice.id, birthday: '1990-06-20' });
    const second = await setOwn(t, alice, '1990-07-01');
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('BIRTHDAY_ALREADY_SET');
    const same = await setOwn(t, alice, '1990-06-20');
    expect(same.status).toBe(409);
    expect(await birthdayOf(t, alice)).toBe('1990-06-20');
    expect(await t.verify()).toEqual([]);
  });

  test('an admin corrects it (PUT /admin/members/:id/birthday); marketing, clerk and members are 403', async () => {
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    await setOwn(t, alice, '1990-06-20');
    const path = `/api/v1/admin/members/${alice.id}/birthday`;
    const body = { birthday: '1990-07-01' };
    const counts = await snapshotCounts(t);
    for (const token of [alice.token, bob.token, await staffToken(t, 'clerk-a'), await staffToken(t, 'marketing')]) {
      const res = await t.request('PUT', path, { token, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request('PUT', path, { body })).status).toBe(401);
    expect(await birthdayOf(t, alice)).toBe('1990-06-20');
    const admin = await staffToken(t, 'admin');
    expect((await t.request('PUT', path, { token: admin, body: { birthday: '1990-7-1' } })).status).toBe(400);
    expect((await t.request('PUT', '/api/v1/admin/members/abc/birthday', { token: admin, body })).status).toBe(400);
    expect((await t.request('PUT', '/api/v1/admin/members/999999/birthday', { token: admin, body })).status).toBe(404);
    const fixed = await t.request('PUT', path, { token: admin, body });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual({ member: { id: alice.id, nickname: expect.any(String), birthday: '1990-07-01' } });
    expect(await birthdayOf(t, alice)).toBe('1990-07-01');
    // The admin may also set one the member never set; the member still cannot change it afterwards.
    expect((await t.request('PUT', `/api/v1/admin/members/${bob.id}/birthday`, { token: admin, body: { birthday: '1985-12-31' } })).status).toBe(200);
    expect((await setOwn(t, bob, '1985-01-01')).status).toBe(409);
    expect((await setOwn(t, alice, '1990-06-20')).status).toBe(409);
    expect(await snapshotCounts(t)).toEqual(counts); // corrections touch the member row only
    expect(await t.verify()).toEqual([]);
  });

  test('a purchase in the birthday month (Shanghai) earns double with a BIRTHDAY line; another month does not', async () => {
    const alice = await loginMember(t, 'alice'); // June birthday
    const bob = await loginMember(t, 'bob'); // July birthday
    await setOwn(t, alice, '1990-06-20');
    await setOwn(t, bob, '1988-07-02');
    const clerk = await staffToken(t, 'clerk-a');

    const june = await postPurchase(t, clerk, alice, 'A-1', 10000);
    expect(june.pointsAwarded).toBe(200);
    expect(june.breakdown).toEqual([
      { kind: 'BASE', label: '消费 1 分/元', points: 100 },
      { kind: 'BIRTHDAY', label: '生日月 2倍', points: 100 },
    ]);
    expect(sum(june.breakdown)).toBe(june.pointsAwarded);
    const other = await postPurchase(t, clerk, bob, 'B-1', 10000);
    expect(other.pointsAwarded).toBe(100);
    expect(other.breakdown.some((l: any) => l.kind === 'BIRTHDAY')).toBe(false);

    // 00:30 on 1 July in Shanghai while UTC still says 30 June: the month is Shanghai's.
    t.clock.set('2026-06-30T16:30:00Z');
    const clerk2 = await staffToken(t, 'clerk-a');
    const [alice2, bob2] = [await loginMember(t, 'alice'), await loginMember(t, 'bob')];
    const aliceJuly = await postPurchase(t, clerk2, alice2, 'A-2', 5000);
    expect(aliceJuly.pointsAwarded).toBe(50);
    expect(aliceJuly.breakdown.some((l: any) => l.kind === 'BIRTHDAY')).toBe(false);
    const bobJuly = await postPurchase(t, clerk2, bob2, 'B-2', 5000);
    expect(bobJuly.pointsAwarded).toBe(100);
    expect(bobJuly.breakdown).toContainEqual({ kind: 'BIRTHDAY', label: '生日月 2倍', points: 50 });
    expect(sum(bobJuly.breakdown)).toBe(bobJuly.pointsAwarded);

    // An admin correction applies from the next purchase.
    await t.request('PUT', `/api/v1/admin/members/${alice.id}/birthday`, { token: await staffToken(t, 'admin'), body: { birthday: '1990-07-20' } });
    const corrected = await postPurchase(t, clerk2, alice2, 'A-3', 5000);
    expect(corrected.pointsAwarded).toBe(100);
    expect(corrected.breakdown).toContainEqual({ kind: 'BIRTHDAY', label: '生日月 2倍', points: 50 });
    expect(await t.verify()).toEqual([]);
  });
});
