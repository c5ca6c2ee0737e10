import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** All rule time math goes through here. `now` is always passed in; nothing reads the wall clock. */

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
const OFFSET_CACHE_MAX = 10_000;

/*
 * The hot path (every purchase and check-in asks for a local day or month) avoids dayjs' zone conversion,
 * which formats through Intl twice per call: the zone's UTC offset is read once per quarter hour (offsets
 * only ever change on quarter-hour boundaries) and cached; the calendar math then runs on plain UTC fields.
 */
const dtfByZone = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function zoneFormat(tz: string): Intl.DateTimeFormat {
  let f = dtfByZone.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    dtfByZone.set(tz, f);
  }
  return f;
}

/** Minutes the zone is ahead of UTC at an instant (480 for Asia/Shanghai). */
export function zoneOffsetMinutes(atMs: number, tz: string): number {
  const key = `${tz}|${Math.floor(atMs / QUARTER_HOUR_MS)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const p: Record<string, number> = {};
  for (const part of zoneFormat(tz).formatToParts(new Date(atMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  const offset = Math.round((asUtc - Math.floor(atMs / 1000) * 1000) / 60_000);
  if (offsetCache.size >= OFFSET_CACHE_MAX) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The local wall-clock time of an instant, as a Date whose UTC fields read as local fields. */
function wall(at: Date, tz: string): Date {
  return new Date(at.getTime() + zoneOffsetMinutes(at.getTime(), tz) * 60_000);
}

/** The instant at which a local wall-clock time (given as UTC fields in ms) happens in the zone. */
function fromWall(wallMs: number, tz: string): Date {
  const guess = wallMs - zoneOffsetMinutes(wallMs, tz) * 60_000;
  return new Date(wallMs - zoneOffsetMinutes(guess, tz) * 60_000);
}

/** Local calendar day 'YYYY-MM-DD' of an instant in a time zone. */
export function localDay(at: Date, tz: string): string {
  return wall(at, tz).toISOString().slice(0, 10);
}

/** Local calendar month 'YYYY-MM'. */
export function localMonth(at: Date, tz: string): string {
  return wall(at, tz).toISOString().slice(0, 7);
}

/** Local year as a number. */
export function localYear(at: Date, tz: string): number {
  return wall(at, tz).getUTCFullYear();
}

/** The instant a local day starts, e.g. startOfLocalDay('2026-01-01', 'Asia/Shanghai') = 2025-12-31T16:00Z. */
export function startOfLocalDay(day: string, tz: string): Date {
  return fromWall(Date.parse(`${day}T00:00:00Z`), tz);
}

/** Whole days from day a to day b (both 'YYYY-MM-DD'), b - a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/**
 * The same local time N calendar months earlier in the zone (window starts for tier qualification); the day
 * is clamped to the target month's length (31 March minus one month is 28/29 February), as dayjs does.
 */
export function monthsBefore(at: Date, months: number, tz: string): Date {
  const w = wall(at, tz);
  const monthIndex = w.getUTCFullYear() * 12 + w.getUTCMonth() - months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(w.getUTCDate(), daysInMonth);
  const wallMs = Date.UTC(year, month, day, w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds());
  return fromWall(wallMs, tz);
}

/** Parses 'YYYY-MM-DDTHH:mm' (or with seconds) as local time in the zone. */
export function parseLocal(text: string, tz: string): Date {
  return dayjs.tz(text.replace('T', ' '), tz).toDate();
}

/** Formats an instant as local 'YYYY-MM-DD HH:mm'. */
export function formatLocal(at: Date, tz: string, pattern = 'YYYY-MM-DD HH:mm'): string {
  return dayjs(at).tz(tz).format(pattern);
}
