import {
  addDays,
  daysBetween,
  formatLocal,
  localDay,
  localMonth,
  localYear,
  monthsBefore,
  parseLocal,
  startOfLocalDay,
} from '../../shared/src/rules/time';
import { TZ, at } from './fixtures';

describe('localDay / localMonth / localYear in Asia/Shanghai (UTC+8)', () => {
  test.each([
    // instant (UTC)                  Shanghai day   UTC day
    ['2026-06-14T15:59:59.999Z', '2026-06-14', '2026-06-14'],
    ['2026-06-14T16:00:00.000Z', '2026-06-15', '2026-06-14'],
    ['2026-06-14T00:00:00.000Z', '2026-06-14', '2026-06-14'],
    ['2026-06-13T23:59:59.999Z', '2026-06-14', '2026-06-13'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01', '2026-12-31'],
    ['2024-02-28T16:00:00.000Z', '2024-02-29', '2024-02-28'],
  ])('%s is %s in Shanghai (UTC says %s)', (iso, shanghai, utcDay) => {
    expect(localDay(at(iso), TZ)).toBe(shanghai);
    expect(localDay(at(iso), 'UTC')).toBe(utcDay);
  });

  test.each([
    ['2026-06-30T15:59:59.999Z', '2026-06', 2026],
    ['2026-06-30T16:00:00.000Z', '2026-07', 2026],
    ['2026-12-31T15:59:59.999Z', '2026-12', 2026],
    ['2026-12-31T16:00:00.000Z', '2027-01', 2027],
  ])('%s -> month %s, year %d', (iso, month, year) => {
    expect(localMonth(at(iso), TZ)).toBe(month);
    expect(localYear(at(iso), TZ)).toBe(year);
  });
});

describe('startOfLocalDay', () => {
  test.each([
    ['2026-01-01', TZ, '2025-12-31T16:00:00.000Z'],
    ['2026-06-15', TZ, '2026-06-14T16:00:00.000Z'],
    ['2028-01-01', TZ, '2027-12-31T16:00:00.000Z'],
    ['2026-06-15', 'UTC', '2026-06-15T00:00:00.000Z'],
  ])('%s in %s starts at %s', (day, tz, iso) => {
    expect(startOfLocalDay(day, tz).toISOString()).toBe(iso);
  });

  test.each(['2026-06-14', '2026-12-31', '2024-02-29'])('localDay(startOfLocalDay(%s)) round-trips', (day) => {
    const start = startOfLocalDay(day, TZ);
    expect(localDay(start, TZ)).toBe(day);
    expect(localDay(new Date(start.getTime() - 1), TZ)).not.toBe(day);
  });
});

describe('daysBetween (b - a, whole days)', () => {
  test.each([
    ['2026-06-14', '2026-06-14', 0],
    ['2026-06-14', '2026-06-15', 1],
    ['2026-06-15', '2026-06-14', -1],
    ['2026-06-14', '2026-06-16', 2],
    ['2026-02-28', '2026-03-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
  ])('%s -> %s = %d', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });
});

describe('addDays (exact 24h steps)', () => {
  test.each([
    ['2026-06-14T16:00:00.000Z', 0, '2026-06-14T16:00:00.000Z'],
    ['2026-06-14T16:00:00.000Z', 1, '2026-06-15T16:00:00.000Z'],
    ['2026-06-14T16:00:00.000Z', -1, '2026-06-13T16:00:00.000Z'],
    ['2026-01-01T00:00:00.000Z', 365, '2027-01-01T00:00:00.000Z'],
  ])('%s + %d days = %s', (iso, days, out) => {
    expect(addDays(at(iso), days).toISOString()).toBe(out);
  });
});

describe('monthsBefore (calendar months in the zone)', () => {
  test.each([
    ['2026-06-14T16:00:00.000Z', 12, '2025-06-14T16:00:00.000Z'],
    ['2026-06-15T04:00:00.000Z', 1, '2026-05-15T04:00:00.000Z'],
    // 2026-03-31 00:00 Shanghai minus one month clamps to 2026-02-28 00:00 Shanghai
    ['2026-03-30T16:00:00.000Z', 1, '2026-02-27T16:00:00.000Z'],
    // 2024-02-29 00:30 Shanghai (leap day) minus 12 months = 2023-02-28 00:30 Shanghai, not the UTC-based 28th
    ['2024-02-28T16:30:00.000Z', 12, '2023-02-27T16:30:00.000Z'],
  ])('%s minus %d months = %s', (iso, months, out) => {
    expect(monthsBefore(at(iso), months, TZ).toISOString()).toBe(out);
  });
});

describe('parseLocal / formatLocal', () => {
  test.each([
    ['2026-06-15T10:00', '2026-06-15T02:00:00.000Z'],
    ['2026-06-15T00:00:00', '2026-06-14T16:00:00.000Z'],
    ['2026-06-15 22:00', '2026-06-15T14:00:00.000Z'],
  ])('parseLocal(%s) = %s', (text, iso) => {
    expect(parseLocal(text, TZ).toISOString()).toBe(iso);
  });

  test.each([
    ['2026-06-14T16:00:00.000Z', undefined, '2026-06-15 00:00'],
    ['2026-06-14T15:59:59.999Z', undefined, '2026-06-14 23:59'],
    ['2026-06-14T15:59:59.999Z', 'HH:mm:ss', '23:59:59'],
  ])('formatLocal(%s, %s) = %s', (iso, pattern, out) => {
    expect(formatLocal(at(iso), TZ, pattern)).toBe(out);
  });
});

describe('fast zone math agrees with dayjs for zones without daylight saving', () => {
  // dayjs' zone conversion was the hot spot of a purchase (bench CPU profile); time.ts now reads the
  // zone offset once per quarter hour. Check it against dayjs on a deterministic spread of instants.
  // (Where clocks change, monthsBefore re-resolves the offset for the target date; dayjs keeps the old one.)
  const dayjs = require('dayjs');
  dayjs.extend(require('dayjs/plugin/utc'));
  dayjs.extend(require('dayjs/plugin/timezone'));
  const { localDay: ld, localYear: ly, monthsBefore: mb, startOfLocalDay: sod, zoneOffsetMinutes } = require('../../shared/src/rules/time');
  test.each(['Asia/Shanghai', 'Asia/Kolkata', 'UTC', 'Asia/Tokyo'])('%s', (tz) => {
    let ms = Date.UTC(2024, 0, 1, 0, 7, 13);
    for (let i = 0; i < 500; i++) {
      ms += 61 * 3600_000 + 37 * 60_000 + 17_000; // an odd step so every hour and minute gets visited
      const at = new Date(ms);
      expect(ld(at, tz)).toBe(dayjs(at).tz(tz).format('YYYY-MM-DD'));
      expect(ly(at, tz)).toBe(dayjs(at).tz(tz).year());
      expect(mb(at, 12, tz).getTime()).toBe(dayjs(at).tz(tz).subtract(12, 'month').valueOf());
      expect(mb(at, 1, tz).getTime()).toBe(dayjs(at).tz(tz).subtract(1, 'month').valueOf());
      const day = ld(at, tz);
      expect(sod(day, tz).getTime()).toBe(dayjs.tz(`${day} 00:00:00`, tz).valueOf());
    }
    expect(zoneOffsetMinutes(Date.UTC(2026, 5, 1), 'Asia/Shanghai')).toBe(480);
  });
});
