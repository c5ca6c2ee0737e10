import { seedDemo, DEMO_MEMBERS, DEMO_STAFF } from '../../server/src/seed/demo-seed';
import { startTestApp, countRows } from './helpers';

/** The demo seed (npm start on a fresh database) is the same whatever the hour it runs at. */
describe('demo seed', () => {
  test.each([
    ['00:30 in Shanghai', '2026-11-22T16:30:00Z'],
    ['12:00 in Shanghai', '2026-11-23T04:00:00Z'],
    ['23:30 in Shanghai', '2026-11-23T15:30:00Z'],
  ])('seeded at %s: stores, staff, rewards, members with history; alice on a 6-day streak; verify clean', async (_label, at) => {
    const t = await startTestApp({ now: at });
    try {
      expect(await seedDemo(t.ds, t.config, new Date(at))).toEqual({ seeded: true });
      expect(await countRows(t, 'store')).toBe(2);
      expect(await countRows(t, 'staff')).toBe(DEMO_STAFF.length);
      expect(await countRows(t, 'reward')).toBe(13);
      expect(await countRows(t, 'member')).toBe(DEMO_MEMBERS.length);
      expect(await countRows(t, 'purchase')).toBeGreaterThan(20);
      expect(await countRows(t, 'redemption')).toBe(1);
      const alice = await t.request('POST', '/api/v1/auth/wechat', { body: { code: 'dev:alice' } });
      const me = await t.request('GET', '/api/v1/me', { token: alice.body.token });
      // Demo members are seeded as having accepted the agreement (issue 11), with no welcome gift.
      expect((await t.request('GET', '/api/v1/me/agreement', { token: alice.body.token })).body).toMatchObject({ required: false, acceptedVersion: 1, welcomeGiftPoints: t.config.rules.welcome.giftPoints });
      expect(me.body.checkin).toEqual({ streak: 6, checkedInToday: false });
      expect(me.body.expiring.length).toBeGreaterThan(0); // last year's lots expire at this year's end
      const checkin = await t.request('POST', '/api/v1/me/checkins', { token: alice.body.token });
      expect(checkin.body).toMatchObject({ streak: 7, bonus: 5, points: 6 });
      // The shelf: priced at the value anchor (1 point = 1 fen of face value), each with a shipped picture.
      const shelf = (await t.request('GET', '/api/v1/rewards', { token: alice.body.token })).body.rewards as { pointsPrice: number; faceValueFen: number; imageUrl: string }[];
      expect(shelf).toHaveLength(13);
      for (const r of shelf) {
        expect(r.pointsPrice).toBe(r.faceValueFen);
        expect(r.imageUrl).toMatch(/^\/api\/v1\/uploads\/[0-9a-f]{64}\.png$/);
      }
      const picture = await fetch(t.baseUrl + shelf[0]!.imageUrl);
      expect(picture.headers.get('content-type')).toBe('image/png');
      expect((await picture.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      expect(await t.verify()).toEqual([]);
      // A second start does not seed again.
      expect(await seedDemo(t.ds, t.config, new Date(at))).toEqual({ seeded: false });
      expect(await countRows(t, 'member')).toBe(DEMO_MEMBERS.length);
    } finally {
      await t.close();
    }
  }, 240_000); // a year of demo history through the real services: minutes on MariaDB on a loaded machine
});
