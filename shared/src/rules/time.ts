import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** All rule time math goes through here. `now` is always passed in; nothing reads the wall clock. */

const DAY_MS = 86_400_000;

/** Local calendar day 'YYYY-MM-DD' of an instant in a time zone. */
export function localDay(at: Date, tz: string): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DD');
}

/** Local calendar month 'YYYY-MM'. */
export function localMonth(at: Date, tz: string): string {
  return dayjs(at).tz(tz).format('YYYY-MM');
}

/** Local year as a number. */
export function localYear(at: Date, tz: string): number {
  return dayjs(at).tz(tz).year();
}

/** The instant a local day starts, e.g. startOfLocalDay('2026-01-01', 'Asia/Shanghai') = 2025-12-31T16:00Z. */
export function startOfLocalDay(day: string, tz: string): Date {
  return dayjs.tz(`${day} 00:00:00`, tz).toDate();
}

/** Whole days from day a to day b (both 'YYYY-MM-DD'), b - a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** The same instant N calendar months earlier in the zone (window starts for tier qualification). */
export function monthsBefore(at: Date, months: number, tz: string): Date {
  return dayjs(at).tz(tz).subtract(months, 'month').toDate();
}

/** Parses 'YYYY-MM-DDTHH:mm' (or with seconds) as local time in the zone. */
export function parseLocal(text: string, tz: string): Date {
  return dayjs.tz(text.replace('T', ' '), tz).toDate();
}

/** Formats an instant as local 'YYYY-MM-DD HH:mm'. */
export function formatLocal(at: Date, tz: string, pattern = 'YYYY-MM-DD HH:mm'): string {
  return dayjs(at).tz(tz).format(pattern);
}
