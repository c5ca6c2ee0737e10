import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { DevSubscribeSender } from '../../server/src/adapters/wechat-subscribe.adapter';
import { OutboxDeliveryService } from '../../server/src/services/outbox-delivery.service';
import { addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * A year and a half of one member's life over HTTP with the injected clock (issue 11.3, 11.4 and 11.5): she buys
 * (and is silver at once), her points become available, she is told "再得 N 分保级" 30 days before her tier's
 * anniversary, drops to bronze on it, is warned 90 and 7 days before her points expire (with the figure of the day),
 * gives some to the charity pool, the rest expires into a coupon, which a clerk redeems at the till; every
 * step is a notice in-app and, with her consent, a subscribe message (dev log). Back in January she buys again
 * and is silver again at once.
 */
jest.setTimeout(120_000);

describe('a member’s year: earn, warn, donate, expire into a coupon, redeem it at the till', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  test('the whole journey', async () => {
    t = await startTestApp({ now: '2026-03-10T04:00:00Z' });
    await addStoresAndStaff(t);
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'jifen-year-')), 'wx.log');
    const outbox = new OutboxDeliveryService(t.services.tx, new DevSubscribeSender(log, () => t.clock().getTime()), t.config.rules, t.clock);
    let me = await loginMember(t, 'year-member');
    const relogin = async () => (me = await loginMember(t, 'year-member'));
    for (const [i, id] of ['jifen-points-change', 'jifen-points-expiry', 'jifen-points-expiry', 'jifen-points-expiry', 'jifen-tier-change'].entries()) {
      expect((await t.request('POST', '/api/v1/me/subscriptions', { token: me.token, body: { results: { [id]: 'accept' } }, headers: { 'Idempotency-Key': `year-consent-${i}` } })).status).toBe(200);
    }

    // March 2026: a purchase of ¥1,288 earns 1,288 points, pending for 7 days.
    await postPurchase(t, await staffToken(t, 'clerk-a'), me, 'Y-1', 128800);
    t.clock.set('2026-03-18T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ availableTold: 1 });
    await relogin();
    expect((await t.request('GET', '/api/v1/me', { token: me.token })).body).toMatchObject({ balance: 1288, available: 1288, tier: { code: 'silver', reviewAt: '2027-03-10T04:00:00.000Z' } });

    // 保级 (issue 11.4): 30 days before her tier's anniversary, home and a notice say what keeps silver; she
    // earns nothing that year and drops one level on the day. Running the job again changes nothing.
    t.clock.set('2027-02-08T04:00:00Z');
    expect(await t.services.tiers.run()).toMatchObject({ warned: 1 });
    await relogin();
    expect((await t.request('GET', '/api/v1/me', { token: me.token })).body.tier).toMatchObject({ code: 'silver', atRisk: { pointsNeeded: 501, daysLeft: 30, text: '再得 501 分保级白银' } });
    t.clock.set('2027-03-10T05:00:00Z');
    expect(await t.services.tiers.run()).toMatchObject({ dropped: 1 });
    expect(await t.services.tiers.run()).toEqual({ backfilled: 0, kept: 0, dropped: 0, warned: 0 });
    await relogin();
    expect((await t.request('GET', '/api/v1/me', { token: me.token })).body.tier).toMatchObject({ code: 'bronze', reviewAt: null, atRisk: null });

    // 2027-10-02: 90 days before the points of 2026 go.
    t.clock.set('2027-10-02T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ remindersCreated: 1 });
    // She gives 88 of them to the charity pool.
    await relogin();
    expect((await t.request('POST', '/api/v1/me/donations', { token: me.token, body: { points: 88 }, headers: { 'Idempotency-Key': 'year-donate-1' } })).status).toBe(201);
    // 7 days before: the figure is the one of the day (1,200), with the shelf offer.
    t.clock.set('2027-12-24T04:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ remindersCreated: 1 });
    await relogin();
    const list = (await t.request('GET', '/api/v1/me/notifications?limit=50', { token: me.token })).body;
    const kinds = list.notifications.map((n: any) => n.kind).reverse();
    expect(kinds).toEqual(['PURCHASE', 'TIER_UP', 'POINTS_AVAILABLE', 'TIER_AT_RISK', 'TIER_DOWN', 'EXPIRY_REMINDER', 'DONATED', 'EXPIRY_REMINDER']);
    expect(list.notifications[2].body).toContain('1288 分将于 12月31日 过期');
    expect(list.notifications[0].body).toContain('1200 分将于 12月31日 过期');
    expect(list.unread).toBe(8);

    // New year 2028: 1,200 expire -> two units of 500 -> a 10-yuan coupon (minimum spend 60 yuan).
    t.clock.set('2027-12-31T16:00:00Z');
    expect(await t.services.expiry.run()).toMatchObject({ pointsExpired: 1200, couponsIssued: 1 });
    await relogin();
    const coupons = (await t.request('GET', '/api/v1/me/coupons', { token: me.token })).body.coupons;
    expect(coupons).toEqual([expect.objectContaining({ valueFen: 1000, minSpendFen: 6000, points: 1200, status: 'available' })]);

    // January: she shows the code at the till; the clerk redeems it on a ¥75 order.
    t.clock.set('2028-01-10T04:00:00Z');
    const clerk = await staffToken(t, 'clerk-a');
    const used = await t.request('POST', '/api/v1/till/coupons/redeem', { token: clerk, body: { code: coupons[0].code, orderNo: 'Y-2', amountFen: 7500 } });
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({ discountFen: 1000, payFen: 6500 });

    // Everything she should hear went out once each where she consented; reading by id leaves the count exact.
    const delivered = await outbox.deliver();
    expect(delivered).toMatchObject({ sent: 5 }); // the purchase, the tier-up and three expiry-template notices (consents: 1 + 1 + 3)
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
    await relogin();
    const page = (await t.request('GET', '/api/v1/me/notifications?limit=3', { token: me.token })).body;
    const read = await t.request('POST', '/api/v1/me/notifications/read', { token: me.token, body: { ids: page.notifications.map((n: any) => n.id) } });
    expect(read.body).toEqual({ unread: page.unread - 3, marked: 3 });

    // She buys again: ¥600 over the last 12 months lifts her to silver at once, with a new anniversary.
    await postPurchase(t, clerk, me, 'Y-3', 60000);
    expect((await t.request('GET', '/api/v1/me', { token: me.token })).body.tier).toMatchObject({ code: 'silver', since: '2028-01-10T04:00:00.000Z', reviewAt: '2029-01-10T04:00:00.000Z' });
    expect((await t.request('GET', '/api/v1/me/notifications?limit=1', { token: me.token })).body.notifications[0]).toMatchObject({ kind: 'TIER_UP', title: '升级为白银会员' });

    const report = await t.request('GET', '/api/v1/admin/reports/health?from=2027-10-01&to=2028-01-31', { token: await staffToken(t, 'marketing') });
    expect(report.body.giveback).toMatchObject({ coupons: { issued: 1, used: 1, usedCostFen: 1000 }, charity: { donatedPoints: 88, poolPoints: 88 } });
    expect(await t.verify()).toEqual([]);
  });
});
