import { lotTotals } from '@jifen/shared';
import { toView } from '../../server/src/services/ledger.service';
import { PointsLotEntity } from '../../server/src/db/entities';
import { grantPoints, loginMember, startTestApp, type TestApp } from './helpers';

/**
 * Work per member bounded (issue 14.3): GET /me sums the lots in SQL, and a debit reads the oldest spendable
 * lots a page (20) at a time until they cover it. Here a member holds 50 lots, some sharing an expiry, some
 * pending, some expired: the figures and the FIFO order must be exactly those of the whole-history version.
 */
const DAY = 86_400_000;

describe('work per member bounded', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  async function lotsOf(memberId: number) {
    return t.ds.getRepository(PointsLotEntity).find({ where: { memberId }, order: { id: 'ASC' } });
  }

  test('GET /me and debits across lot pages match the whole-history figures and FIFO order', async () => {
    const alice = await loginMember(t, 'alice');
    const now = t.clock().getTime();
    // 50 lots: pairs share an expiry (the id breaks the tie), given newest-expiry first so id order != FIFO order.
    for (let i = 0; i < 50; i++) {
      const expiresAt = now + (400 - Math.floor(i / 2) * 7) * DAY;
      await grantPoints(t, alice.id, 10 + i, { expiresAt, activatesAt: i % 10 === 9 ? now + 3 * DAY : now });
    }
    const all = await lotsOf(alice.id);
    const expected = lotTotals(all.map(toView), now, 0);
    const me = (await t.request('GET', '/api/v1/me', { token: alice.token })).body;
    expect(me.available).toBe(expected.available);
    expect(me.pending).toBe(expected.pending);
    expect(me.pendingLots).toHaveLength(5);
    expect(me.balance).toBe(all.reduce((s, l) => s + l.remaining, 0));

    // A debit that needs lots from three pages of 20.
    const fifo = all.filter((l) => l.activatesAt <= now).sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id);
    const need = fifo.slice(0, 41).reduce((s, l) => s + l.remaining, 0) - 5;
    await t.services.tx.run(async (m) => {
      const account = await t.services.ledger.lockAccount(m, alice.id);
      await t.services.ledger.debit(m, account, need, { code: 'REDEEM', reason: '测试', actor: 'test' });
    });
    const after = new Map((await lotsOf(alice.id)).map((l) => [l.id, l.remaining]));
    fifo.forEach((l, i) => {
      if (i < 40) expect([l.id, after.get(l.id)]).toEqual([l.id, 0]);
      else if (i === 40) expect(after.get(l.id)).toBe(5);
      else expect(after.get(l.id)).toBe(l.remaining);
    });

    // More than is spendable: refused with the true figure, nothing written.
    const left = (await t.request('GET', '/api/v1/me', { token: alice.token })).body.available;
    await expect(
      t.services.tx.run(async (m) => {
        const account = await t.services.ledger.lockAccount(m, alice.id);
        await t.services.ledger.debit(m, account, left + 1, { code: 'REDEEM', reason: '测试', actor: 'test' });
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { needed: left + 1, available: left } });
    expect(await t.verify()).toEqual([]);
  });
});
