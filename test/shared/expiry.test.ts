import { daysLeft, lastUsableDay, lotExpiresAt, reminderDue } from '../../shared/src/rules/expiry';
import { rules, TZ, at } from './fixtures';

const yearly = { timezone: TZ, expiry: { policy: 'yearly' as const, reminderDays: [90, 7] } };
const rolling = (days: number) => ({ timezone: TZ, expiry: { policy: 'rolling' as const, days, reminderDays: [90, 7] } });

describe('lotExpiresAt, yearly policy (end of the year after the year earned, local)', () => {
  test('the default config is yearly with reminders 90 and 7 days ahead', () => {
    expect(rules.expiry).toEqual({ policy: 'yearly', reminderDays: [90, 7] });
  });

  test.each([
    // earnedAt (UTC), Shanghai time of earning, expiresAt (UTC)
    ['2026-01-01T00:00:00Z', '2026-01-01 08:00', '2027-12-31T16:00:00.000Z'],
    ['2025-12-31T16:00:00Z', '2026-01-01 00:00', '2027-12-31T16:00:00.000Z'],
    ['2026-06-15T04:00:00Z', '2026-06-15 12:00', '2027-12-31T16:00:00.000Z'],
    ['2026-12-31T15:59:59Z', '2026-12-31 23:59:59', '2027-12-31T16:00:00.000Z'], // = 2028-01-01 00:00 Shanghai
    ['2026-12-31T16:00:00Z', '2027-01-01 00:00', '2028-12-31T16:00:00.000Z'], // = 2029-01-01 00:00 Shanghai
    ['2025-12-31T15:59:59.999Z', '2025-12-31 23:59:59.999', '2026-12-31T16:00:00.000Z'],
  ])('earned %s (%s Shanghai) expires %s', (earned, _local, expires) => {
    expect(lotExpiresAt(at(earned), yearly).toISOString()).toBe(expires);
    expect(lotExpiresAt(at(earned), rules).toISOString()).toBe(expires);
  });
});

describe('lotExpiresAt, rolling policy (earnedAt + N days)', () => {
  test.each([
    ['2026-06-15T04:00:00Z', 365, '2027-06-15T04:00:00.000Z'],
    ['2026-06-15T04:00:00Z', 1, '2026-06-16T04:00:00.000Z'],
    ['2026-06-14T16:00:00Z', 30, '2026-07-14T16:00:00.000Z'],
    ['2028-02-28T00:00:00Z', 2, '2028-03-01T00:00:00.000Z'], // leap year
    ['2026-12-31T15:59:59Z', 180, '2027-06-29T15:59:59.000Z'],
  ])('earned %s + %d days = %s', (earned, days, expires) => {
    expect(lotExpiresAt(at(earned), rolling(days)).toISOString()).toBe(expires);
  });
});

describe('lastUsableDay (the local day before the exclusive expiry)', () => {
  test.each([
    ['2027-12-31T16:00:00Z', '2027-12-31'],
    ['2028-12-31T16:00:00Z', '2028-12-31'],
    ['2027-06-15T04:00:00Z', '2027-06-15'], // rolling: expires at noon, that day is still usable
    ['2026-06-14T16:00:00.001Z', '2026-06-15'],
  ])('expires %s -> last usable %s', (expires, day) => {
    expect(lastUsableDay(at(expires), TZ)).toBe(day);
  });
});

describe('daysLeft (whole local days to the last usable day)', () => {
  const EXPIRES = '2027-12-31T16:00:00Z'; // 2028-01-01 00:00 Shanghai, last usable 2027-12-31
  test.each([
    ['2027-12-31T15:59:59Z', 0], // last second of the last day
    ['2027-12-30T16:00:00Z', 0], // first second of the last day
    ['2027-12-30T15:59:59Z', 1],
    ['2027-12-24T04:00:00Z', 7],
    ['2027-10-02T04:00:00Z', 90],
    ['2027-10-01T04:00:00Z', 91],
    ['2026-12-31T16:00:00Z', 364], // 2027-01-01 Shanghai
    ['2027-12-31T16:00:00Z', 0], // at expiry: never negative
    ['2028-03-01T00:00:00Z', 0], // long after expiry: never negative
  ])('now %s -> %d days left', (now, n) => {
    expect(daysLeft(at(EXPIRES), at(now), TZ)).toBe(n);
  });
});

describe('reminderDue (reminders at 90 and 7 days, the smallest threshold reached)', () => {
  const EXPIRES = '2027-12-31T16:00:00Z'; // last usable day 2027-12-31 (Shanghai)
  test.each([
    // now, reminder due
    ['2026-06-15T04:00:00Z', null], // far ahead
    ['2027-10-01T04:00:00Z', null], // 91 days left
    ['2027-10-01T15:59:59Z', null], // still 1 Oct in Shanghai: 91 days
    ['2027-10-01T16:00:00Z', 90], // 2 Oct in Shanghai: 90 days
    ['2027-10-02T04:00:00Z', 90],
    ['2027-11-15T04:00:00Z', 90], // 46 days left, still the 90-day reminder
    ['2027-12-23T04:00:00Z', 90], // 8 days left
    ['2027-12-24T04:00:00Z', 7], // 7 days left
    ['2027-12-30T04:00:00Z', 7], // 1 day left
    ['2027-12-31T15:59:59.999Z', 7], // last moment: 0 days left
    ['2027-12-31T16:00:00Z', null], // expired
    ['2028-01-15T00:00:00Z', null], // after expiry
  ])('now %s -> %s', (now, due) => {
    expect(reminderDue(at(EXPIRES), at(now), yearly)).toBe(due);
  });

  test.each([
    [[7, 90], '2027-12-24T04:00:00Z', 7], // order of reminderDays does not matter
    [[7, 90], '2027-10-02T04:00:00Z', 90],
    [[], '2027-12-30T04:00:00Z', null],
    [[30], '2027-12-01T04:00:00Z', 30],
    [[30], '2027-11-30T04:00:00Z', null], // 31 days left
  ])('reminderDays %j, now %s -> %s', (days, now, due) => {
    expect(reminderDue(at(EXPIRES), at(now), { timezone: TZ, expiry: { policy: 'yearly', reminderDays: days } })).toBe(due);
  });

  test('rolling lot: the reminders count local days to the last usable day', () => {
    const expires = lotExpiresAt(at('2026-06-15T04:00:00Z'), rolling(30)); // 2026-07-15T04:00Z
    expect(lastUsableDay(expires, TZ)).toBe('2026-07-15');
    expect(reminderDue(expires, at('2026-07-08T04:00:00Z'), rolling(30))).toBe(7);
    expect(reminderDue(expires, at('2026-07-07T04:00:00Z'), rolling(30))).toBe(90);
    expect(reminderDue(expires, at('2026-07-15T03:59:59Z'), rolling(30))).toBe(7);
    expect(reminderDue(expires, at('2026-07-15T04:00:00Z'), rolling(30))).toBeNull();
  });
});
