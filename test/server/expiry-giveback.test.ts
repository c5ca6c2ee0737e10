import { addReward, addStoresAndStaff, countRows, grantPoints, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Issue 11.3, expiry that gives back, over HTTP with the injected clock: reminders per member and date with
 * the figure of the moment and the 7-day offer; tiered validity; expired points into a coupon in the
 * expiry's own transaction, once; the 卡券 list and the till's single use; donations; the report's counts.
 * Shanghai new year 2028 = 2027-12-31T16:00:00Z.
 */
jest.setTimeout(90_000);

const NEW_YEAR_2028 = '2027-12-31T16:00:00.000Z';
const NY28 = new Date(NEW_YEAR_2028).getTime();

async function notices(t: TestApp, memberId: number, kind: string): Promise<{ key: string; body: string }[]> {
  const rows = await t.ds.query('SELECT dedupe_key, body FROM notification WHERE member_id = ? AND kind = ? ORDER BY id', [memberId, kind]);
  return rows.map((r: any) => ({ key: r.dedupe_key, body: r.body }));
}

describe('expiry that gives back', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  test('one reminder per member and date with the current figure; the 7-day one carries a shelf discount until the date', async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    const a = await loginMember(t, 'remind-me');
    await grantPoints(t, a.id, 56);
    await grantPoints(t, a.id, 59); // two lots, the same expiry date: one notice, not two
    await grantPoints(t, a.id, 300);
    const reward = await addReward(t, { pointsPrice: 100, stock: 10 });

    t.clock.set('2027-10-02T04:00:00Z'); // 90 days before the last usable day (2027-12-31)
    expect((await t.services.expiry.run()).remindersCreated).toBe(1);
    expect(await notices(t, a.id, 'EXPIRY_REMINDER')).toEqual([{ key: `expiry:${a.id}:${NY28}:90`, body: expect.stringContaining('415 分将于 12月31日 过期') }]);

    // Spent in between: the 7-day reminder tells what is left then, not the old figure.
    const tok = (await loginMember(t, 'remind-me')).token;
    expect((await t.request('POST', '/api/v1/me/redemptions', { token: tok, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'before-offer-1' } })).body.balance).toBe(315);
    t.clock.set('2027-12-24T04:00:00Z');
    expect((await t.services.expiry.run()).remindersCreated).toBe(1);
    const seven = (await notices(t, a.id, 'EXPIRY_REMINDER'))[1]!;
    expect(seven.key).toBe(`expiry:${a.id}:${NY28}:7`);
    expect(seven.body).toContain('315 分将于 12月31日 过期');
    expect(seven.body).toContain('8 折');
    expect((await t.services.expiry.run()).remindersCreated).toBe(0); // told once

    // The offer: 20 % off the shelf for this member until the date, shown on the 卡券 page.
    const tok2 = (await loginMember(t, 'remind-me')).token;
    const coupons = await t.request('GET', '/api/v1/me/coupons', { token: tok2 });
    expect(coupons.body.offer).toEqual({ pct: 20, until: NEW_YEAR_2028 });
    const r = await t.request('POST', '/api/v1/me/redemptions', { token: tok2, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'with-offer-1' } });
    expect(r.status).toBe(201);
    expect(r.body.balance).toBe(235); // 80, not 100
    // Another member got no offer and pays the shelf price.
    const b = await loginMember(t, 'no-offer');
    await grantPoints(t, b.id, 100);
    expect((await t.request('POST', '/api/v1/me/redemptions', { token: b.token, body: { rewardId: reward.id, quantity: 1 }, headers: { 'Idempotency-Key': 'no-offer-1' } })).body.balance).toBe(0);
    t.clock.set(NEW_YEAR_2028); // the offer ends with the date
    expect((await t.request('GET', '/api/v1/me/coupons', { token: (await loginMember(t, 'remind-me')).token })).body.offer).toBeNull();
    expect(await t.verify()).toEqual([]);
  });

  test('expired points above the threshold become one coupon in the EXPIRE transaction, once; the clerk uses it once', async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    const a = await loginMember(t, 'coupon-member');
    await grantPoints(t, a.id, 700);
    await grantPoints(t, a.id, 534); // 1234 expire together: two units of 500 -> a 10-yuan coupon, minimum spend 60 yuan

    t.clock.set(NEW_YEAR_2028);
    const run = await t.services.expiry.run();
    expect(run).toMatchObject({ lotsExpired: 2, pointsExpired: 1234, couponsIssued: 1 });
    const coupon = (await t.ds.query('SELECT * FROM coupon'))[0];
    expect(Number(coupon.value_fen)).toBe(1000);
    expect(Number(coupon.min_spend_fen)).toBe(6000);
    expect(coupon.source_key).toBe(`expiry:${a.id}:${NY28}`);
    // Issued in the same transaction as the EXPIRE entries (the same clock instant and both present).
    const expires = await t.ds.query("SELECT created_at FROM ledger_entry WHERE code = 'EXPIRE'");
    expect(expires.map((e: any) => Number(e.created_at))).toEqual([Number(coupon.issued_at), Number(coupon.issued_at)]);
    expect((await notices(t, a.id, 'COUPON_ISSUED'))[0]!.body).toContain('10 元券');
    expect((await notices(t, a.id, 'EXPIRED'))[0]!.body).toContain('1234 分');
    // A re-run (or a second instance) issues nothing more.
    expect(await t.services.expiry.run()).toMatchObject({ lotsExpired: 0, couponsIssued: 0 });
    expect(await countRows(t, 'coupon')).toBe(1);

    const token = (await loginMember(t, 'coupon-member')).token;
    const list = await t.request('GET', '/api/v1/me/coupons', { token });
    expect(list.status).toBe(200);
    expect(list.body.coupons).toEqual([
      expect.objectContaining({ code: coupon.code, valueFen: 1000, minSpendFen: 6000, points: 1234, status: 'available', usedAt: null }),
    ]);
    expect(list.body.charity).toEqual({ enabled: true, name: '公益积分池' });

    const clerk = await staffToken(t, 'clerk-a');
    const redeem = (body: unknown, who = clerk) => t.request('POST', '/api/v1/till/coupons/redeem', { token: who, body });
    expect((await redeem({ code: coupon.code, orderNo: 'C-1', amountFen: 5999 })).body.error.code).toBe('COUPON_MIN_SPEND');
    expect((await redeem({ code: 'QZZZZZZZZZ', orderNo: 'C-1', amountFen: 9000 })).status).toBe(404);
    expect((await redeem({ code: coupon.code, orderNo: 'C-1', amountFen: 9000 }, token)).status).toBe(403); // a member is no clerk
    const used = await redeem({ code: coupon.code.toLowerCase(), orderNo: 'C-1', amountFen: 9000 });
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({ orderNo: 'C-1', amountFen: 9000, discountFen: 1000, payFen: 8000, coupon: { status: 'used' } });
    const again = await redeem({ code: coupon.code, orderNo: 'C-1', amountFen: 9000 }); // the till retried
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await redeem({ code: coupon.code, orderNo: 'C-2', amountFen: 9000 })).body.error.code).toBe('COUPON_USED');
    expect((await redeem({ code: coupon.code, orderNo: 'C-1', amountFen: 9000 }, await staffToken(t, 'clerk-b'))).body.error.code).toBe('COUPON_USED');
    const audit = await t.ds.query("SELECT action FROM audit_log WHERE action = 'coupon.redeem'");
    expect(audit).toHaveLength(1);
    expect((await t.request('GET', '/api/v1/me/coupons', { token })).body.coupons[0].status).toBe('used');
    expect(await t.verify()).toEqual([]);
  });

  test('a coupon not used in its 30 days lapses; under the threshold nothing is issued; the report counts issued, used, lapsed and cost', async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    const a = await loginMember(t, 'lapser');
    const b = await loginMember(t, 'user');
    const c = await loginMember(t, 'small');
    await grantPoints(t, a.id, 600);
    await grantPoints(t, b.id, 500);
    await grantPoints(t, c.id, 499);
    t.clock.set(NEW_YEAR_2028);
    expect(await t.services.expiry.run()).toMatchObject({ couponsIssued: 2, pointsExpired: 1599 });
    const codeOf = async (id: number) => (await t.ds.query('SELECT code FROM coupon WHERE member_id = ?', [id]))[0]?.code;
    expect(await codeOf(c.id)).toBeUndefined();
    const clerk = await staffToken(t, 'clerk-a');
    expect((await t.request('POST', '/api/v1/till/coupons/redeem', { token: clerk, body: { code: await codeOf(b.id), orderNo: 'L-1', amountFen: 3000 } })).status).toBe(201);
    t.clock.set('2028-01-31T16:00:00Z'); // 30 days on: a's coupon lapsed
    expect((await t.request('POST', '/api/v1/till/coupons/redeem', { token: await staffToken(t, 'clerk-a'), body: { code: await codeOf(a.id), orderNo: 'L-2', amountFen: 9000 } })).body.error.code).toBe('COUPON_LAPSED');
    expect((await t.request('GET', '/api/v1/me/coupons', { token: (await loginMember(t, 'lapser')).token })).body.coupons[0].status).toBe('lapsed');
    const report = await t.request('GET', '/api/v1/admin/reports/health?from=2027-12-01&to=2028-02-01', { token: await staffToken(t, 'marketing') });
    expect(report.status).toBe(200);
    expect(report.body.giveback.coupons).toEqual({ issued: 2, issuedValueFen: 1000, used: 1, usedValueFen: 500, usedCostFen: 500, lapsed: 1, lapsedValueFen: 500, outstanding: 0 });
  });

  test('donating expiring points: a DONATE entry from the soonest-expiring lot, idempotent; the report shows the pool', async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
    const a = await loginMember(t, 'donor');
    await grantPoints(t, a.id, 120);
    t.clock.set('2027-03-01T04:00:00Z');
    await grantPoints(t, a.id, 1000); // expires a year later
    t.clock.set('2027-12-20T04:00:00Z');
    const token = (await loginMember(t, 'donor')).token;
    const give = (points: number, key: string) => t.request('POST', '/api/v1/me/donations', { token, body: { points }, headers: { 'Idempotency-Key': key } });
    expect((await t.request('POST', '/api/v1/me/donations', { token, body: { points: 100 } })).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await give(5000, 'donate-too-much')).body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await countRows(t, 'idempotency_record')).toBe(0);
    const d = await give(100, 'donate-0001');
    expect(d.status).toBe(201);
    expect(d.body).toEqual({ donated: 100, balance: 1020, pool: '公益积分池' });
    expect((await give(100, 'donate-0001')).headers.get('idempotent-replayed')).toBe('true');
    const lots = await t.ds.query('SELECT amount, remaining FROM points_lot WHERE member_id = ? ORDER BY id', [a.id]);
    expect(lots.map((l: any) => Number(l.remaining))).toEqual([20, 1000]); // the expiring lot went first
    const entries = (await t.request('GET', '/api/v1/me/ledger', { token })).body.entries;
    expect(entries[0]).toMatchObject({ code: 'DONATE', delta: -100, reason: '捐赠给公益积分池' });
    const report = await t.request('GET', '/api/v1/admin/reports/health?from=2027-12-01&to=2027-12-31', { token: await staffToken(t, 'marketing') });
    expect(report.body.giveback.charity).toEqual({ name: '公益积分池', donatedPoints: 100, donors: 1, poolPoints: 100 });
    expect(report.body.allTime.reconciled).toBe(true);
    expect(await t.verify()).toEqual([]);
  });

  test('tiered validity: an active member (a purchase in the last 12 months) keeps points two years, an inactive one one year', async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z', rules: (r) => ({ ...r, validity: { enabled: true, activeMonths: 12, activeYears: 2, inactiveYears: 1 } }) });
    await addStoresAndStaff(t);
    const clerk = await staffToken(t, 'clerk-a');
    const active = await loginMember(t, 'active');
    const idle = await loginMember(t, 'idle');
    await postPurchase(t, clerk, active, 'V-1', 10000); // 100 points, a purchase: active
    await grantPoints(t, idle.id, 100);
    const expiryOf = async (id: number) => (await t.ds.query('SELECT expires_at FROM points_lot WHERE member_id = ? ORDER BY id', [id])).map((r: any) => new Date(Number(r.expires_at)).toISOString());
    expect(await expiryOf(active.id)).toEqual(['2028-12-31T16:00:00.000Z']); // earned 2026, kept to the end of 2028
    expect(await expiryOf(idle.id)).toEqual([NEW_YEAR_2028]); // the classic clear-down
    // The idle member buys: the sweep extends their older points at once.
    t.clock.set('2027-02-01T04:00:00Z');
    await postPurchase(t, await staffToken(t, 'clerk-a'), { token: (await loginMember(t, 'idle')).token }, 'V-2', 5000);
    expect(await t.services.expiry.run()).toMatchObject({ lotsRevalidated: 1 });
    expect(await expiryOf(idle.id)).toEqual(['2028-12-31T16:00:00.000Z', '2029-12-31T16:00:00.000Z']);
    // A year and more without a purchase: the active member's 2026 points fall back to one year only when that
    // still leaves the 90-day reminder its time; too late for 2027-12-31, so they keep 2028-12-31.
    t.clock.set('2027-10-15T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ lotsRevalidated: 0 });
    expect(await expiryOf(active.id)).toEqual(['2028-12-31T16:00:00.000Z']);
    await grantPoints(t, active.id, 10); // earned 2027 while inactive: one year
    expect((await expiryOf(active.id))[1]).toBe('2028-12-31T16:00:00.000Z');
    expect(await t.verify()).toEqual([]);
  });
});
