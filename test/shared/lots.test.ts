import { isPending, isSpendable, lotTotals, planCredit, planDebit, planRestore, planReversal, spendablePoints, type LotView } from '../../shared/src/rules/lots';
import { ms } from './fixtures';

const NOW = ms('2026-06-15T04:00:00Z');
const PAST = ms('2026-06-01T00:00:00Z');
const SOON = ms('2026-06-20T00:00:00Z');
const E27 = ms('2027-12-31T16:00:00Z');
const E28 = ms('2028-12-31T16:00:00Z');

function lot(id: number, remaining: number, expiresAt: number, over: Partial<LotView> = {}): LotView {
  return { id, remaining, expiresAt, activatesAt: PAST, refType: null, refId: null, ...over };
}

describe('isSpendable / isPending', () => {
  test.each([
    // lot, spendable, pending
    ['active', lot(1, 10, E27), true, false],
    ['activates exactly now', lot(1, 10, E27, { activatesAt: NOW }), true, false],
    ['activates 1 ms later', lot(1, 10, E27, { activatesAt: NOW + 1 }), false, true],
    ['expires exactly now', lot(1, 10, NOW), false, false],
    ['expires 1 ms later', lot(1, 10, NOW + 1), true, false],
    ['empty', lot(1, 0, E27), false, false],
    ['pending but already expired', lot(1, 10, NOW, { activatesAt: NOW + 1 }), false, false],
  ])('%s', (_name, l, spendable, pending) => {
    expect(isSpendable(l, NOW)).toBe(spendable);
    expect(isPending(l, NOW)).toBe(pending);
  });
});

describe('lotTotals', () => {
  const lots = [
    lot(1, 100, E27),
    lot(2, 50, E28),
    lot(3, 30, E27, { activatesAt: SOON }), // pending
    lot(4, 999, PAST + 1), // expired
    lot(5, 0, E27), // used up
  ];
  test.each([
    [0, 150, 30],
    [20, 130, 30],
    [150, 0, 30],
    [200, 0, 30], // debt larger than the lots: nothing spendable, never negative (issue 13.1)
  ])('debt %d -> available %d, pending %d', (debt, available, pending) => {
    expect(lotTotals(lots, NOW, debt)).toEqual({ available, pending });
  });

  test('no lots', () => {
    expect(lotTotals([], NOW, 0)).toEqual({ available: 0, pending: 0 });
  });

  test('available is spendablePoints: pending and expired lots never count', () => {
    for (const debt of [0, 20, 150, 200]) expect(lotTotals(lots, NOW, debt).available).toBe(spendablePoints(lots, NOW, debt));
    expect(spendablePoints(lots, NOW, -5)).toBe(150);
  });
});

describe('planDebit (FIFO by expiresAt then id; all or nothing)', () => {
  const lots = [
    lot(5, 40, E28),
    lot(3, 30, E27),
    lot(1, 20, E27),
    lot(2, 100, E28, { activatesAt: SOON }), // pending: not spendable
    lot(4, 500, NOW), // expired exactly now
    lot(6, 0, E27), // used up
  ];
  test.each([
    // amount, takes
    [1, [{ lotId: 1, amount: 1 }]],
    [20, [{ lotId: 1, amount: 20 }]],
    [21, [{ lotId: 1, amount: 20 }, { lotId: 3, amount: 1 }]],
    [50, [{ lotId: 1, amount: 20 }, { lotId: 3, amount: 30 }]],
    [65, [{ lotId: 1, amount: 20 }, { lotId: 3, amount: 30 }, { lotId: 5, amount: 15 }]],
    [90, [{ lotId: 1, amount: 20 }, { lotId: 3, amount: 30 }, { lotId: 5, amount: 40 }]],
  ])('debit %d', (amount, takes) => {
    expect(planDebit(lots, amount, NOW)).toEqual({ ok: true, takes });
  });

  test.each([
    [91, 90],
    [190, 90], // the pending 100 does not count
    [1000, 90], // the expired 500 does not count
  ])('debit %d when only %d is spendable -> nothing taken', (amount, available) => {
    expect(planDebit(lots, amount, NOW)).toEqual({ ok: false, available });
  });

  test('no spendable lots at all', () => {
    expect(planDebit([lot(1, 10, NOW - 1)], 1, NOW)).toEqual({ ok: false, available: 0 });
  });

  test('does not reorder or mutate the caller\'s lots', () => {
    const copy = lots.map((l) => ({ ...l }));
    planDebit(lots, 65, NOW);
    expect(lots).toEqual(copy);
  });

  test('the takes add up to the amount and never exceed a lot', () => {
    for (let amount = 1; amount <= 90; amount++) {
      const r = planDebit(lots, amount, NOW);
      if (!r.ok) throw new Error(`debit ${amount} failed`);
      expect(r.takes.reduce((s, t) => s + t.amount, 0)).toBe(amount);
      for (const t of r.takes) expect(t.amount).toBeLessThanOrEqual(lots.find((l) => l.id === t.lotId)!.remaining);
    }
  });

  test.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('bad amount %d throws', (amount) => {
    expect(() => planDebit(lots, amount, NOW)).toThrow(/bad amount/);
  });
});

describe('planReversal (own lots first, even pending; then others FIFO; the rest is debt)', () => {
  const own = { refType: 'purchase', refId: 'A-1' };
  const lots = [
    lot(1, 20, E27), // other, earliest expiry
    lot(2, 50, E28, { refType: 'purchase', refId: 'A-1', activatesAt: SOON }), // own, pending
    lot(3, 30, E27, { refType: 'purchase', refId: 'B-9' }), // another order's lot
    lot(4, 10, E28, { refType: 'purchase', refId: 'A-1' }), // own, active, later id
    lot(5, 99, NOW, { refType: 'purchase', refId: 'A-1' }), // own but expired: untouched
  ];
  test.each([
    // amount, takes, debt
    [10, [{ lotId: 2, amount: 10 }], 0],
    [50, [{ lotId: 2, amount: 50 }], 0],
    [55, [{ lotId: 2, amount: 50 }, { lotId: 4, amount: 5 }], 0],
    [60, [{ lotId: 2, amount: 50 }, { lotId: 4, amount: 10 }], 0],
    [75, [{ lotId: 2, amount: 50 }, { lotId: 4, amount: 10 }, { lotId: 1, amount: 15 }], 0],
    [110, [{ lotId: 2, amount: 50 }, { lotId: 4, amount: 10 }, { lotId: 1, amount: 20 }, { lotId: 3, amount: 30 }], 0],
    [150, [{ lotId: 2, amount: 50 }, { lotId: 4, amount: 10 }, { lotId: 1, amount: 20 }, { lotId: 3, amount: 30 }], 40],
  ])('reverse %d', (amount, takes, debt) => {
    expect(planReversal(lots, amount, NOW, own)).toEqual({ takes, debt });
  });

  test('own lots sort FIFO among themselves (expiresAt, then id)', () => {
    const mine = { refType: 'purchase', refId: 'X' };
    const ls = [lot(9, 5, E28, mine), lot(7, 5, E27, mine), lot(8, 5, E27, mine), lot(1, 5, E27)];
    expect(planReversal(ls, 16, NOW, own).takes.map((t) => t.lotId)).toEqual([1, 7, 8, 9]); // none are A-1's
    expect(planReversal(ls, 16, NOW, mine).takes.map((t) => t.lotId)).toEqual([7, 8, 9, 1]);
  });

  test('refType must match as well as refId', () => {
    const ls = [lot(1, 5, E27), lot(2, 5, E28, { refType: 'checkin', refId: 'A-1' })];
    expect(planReversal(ls, 5, NOW, own).takes).toEqual([{ lotId: 1, amount: 5 }]);
  });

  test('nothing live at all: everything is debt', () => {
    expect(planReversal([lot(1, 10, NOW)], 7, NOW, own)).toEqual({ takes: [], debt: 7 });
  });

  test.each([0, -3, 2.5])('bad amount %d throws', (amount) => {
    expect(() => planReversal(lots, amount, NOW, own)).toThrow(/bad amount/);
  });
});

describe('planCredit (repay debt first, the rest lands in the new lot)', () => {
  test.each([
    // amount, debt, repaid, lotRemaining
    [100, 0, 0, 100],
    [100, 30, 30, 70],
    [100, 100, 100, 0],
    [100, 250, 100, 0],
    [0, 10, 0, 0],
    [100, -5, 0, 100], // a negative debt is no debt
  ])('credit %d with debt %d -> repaid %d, lot %d', (amount, debt, repaid, lotRemaining) => {
    expect(planCredit(amount, debt)).toEqual({ repaid, lotRemaining });
  });
});

describe('planRestore (points coming back repay debt first, the rest into the latest-expiring lots taken)', () => {
  const taken = [{ lotId: 1, amount: 30 }, { lotId: 2, amount: 70 }];
  test.each([
    // debt, repaid, puts
    [0, 0, [{ lotId: 2, amount: 70 }, { lotId: 1, amount: 30 }]],
    [78, 78, [{ lotId: 2, amount: 22 }]],
    [70, 70, [{ lotId: 2, amount: 30 }]],
    [80, 80, [{ lotId: 2, amount: 20 }]],
    [20, 20, [{ lotId: 2, amount: 70 }, { lotId: 1, amount: 10 }]],
    [100, 100, []],
    [500, 100, []],
  ])('100 back with debt %d -> repaid %d', (debt, repaid, puts) => {
    expect(planRestore(taken, debt)).toEqual({ repaid, puts });
  });
});
