/**
 * The bench's scale data, generated (issue 14.5): members first..last, each with an account and a few months of
 * history (1-3 purchases earning points in lots, a redemption for one member in four, one lot in ten already due
 * for expiry). Ids are given, not generated: member m owns ledger entries 4(m-1)+1..4m and lots 3(m-1)+1..3m, so
 * batches never wait on one another and nothing is read back. The result satisfies every ledger invariant.
 *
 * Rows come out as tab-separated UTF-8 text, one buffer per table, in the format of LOAD DATA's defaults (tab between
 * fields, newline after each row, \N for NULL), which is what seed-history.ts streams to MariaDB; `toValues`
 * turns the same text into a multi-row INSERT's VALUES where LOAD DATA LOCAL is not allowed. No field holds a
 * tab, newline, quote or backslash, so nothing needs escaping.
 */
import { monthOf } from '../server/src/services/qualifying-months';

const DAY = 86_400_000;

/** The columns each table's text carries, in order; the rest take their defaults (NULL or the column default). */
export const COLUMNS = {
  member: ['id', 'openid', 'nickname', 'first_purchase_at', 'created_at'],
  member_account: ['member_id', 'balance', 'debt', 'version', 'checkin_streak', 'updated_at'],
  ledger_entry: ['id', 'member_id', 'code', 'delta', 'balance_after', 'ref_type', 'ref_id', 'reason', 'actor', 'created_at', 'rules_version'],
  points_lot: ['id', 'member_id', 'entry_id', 'amount', 'remaining', 'earned_at', 'activates_at', 'expires_at', 'ref_type', 'ref_id'],
  lot_movement: ['entry_id', 'lot_id', 'member_id', 'delta'],
  /** The qualifying buckets the app keeps with every EARN_* entry (issue 14.3): the purchases' points per month. */
  member_qualifying_month: ['member_id', 'month', 'points'],
} as const;
export type SeedTable = keyof typeof COLUMNS;
export const SEED_TABLES = Object.keys(COLUMNS) as SeedTable[];

export interface Batch {
  first: number;
  last: number;
  /** Tab-separated rows per table, UTF-8. */
  text: Record<SeedTable, Buffer>;
  rows: Record<SeedTable, number>;
  /** code|local day -> [count, sum of delta] for the daily rollups. */
  daily: Map<string, [number, number]>;
  due: number;
}

/** A cheap deterministic hash of a member id (the same history every time). */
function hash(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Asia/Shanghai has no DST: the local day number is that of the UTC time plus 8 h. */
const dayNumber = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY);
const dayLabel = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/**
 * A growing byte buffer written field by field: numbers as ASCII digits, text as UTF-8. Building one large
 * string per table by concatenation spent more time in the garbage collector than in the generator (a
 * profile at 200,000 members: 4.0 s of GC for 0.2 s of generator); this writes each byte once.
 */
class Tsv {
  buf: Buffer;
  pos = 0;
  private static readonly digits = Buffer.alloc(24);

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** An integer (safe range), then a tab (or `end`: a newline after the row's last field, -1 for nothing). */
  int(v: number, end = 9): this {
    this.room(24);
    if (v < 0) {
      this.buf[this.pos++] = 45; // '-'
      v = -v;
    }
    let i = 0;
    do {
      Tsv.digits[i++] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
    while (i > 0) this.buf[this.pos++] = Tsv.digits[--i]!;
    if (end >= 0) this.buf[this.pos++] = end;
    return this;
  }

  /** Pre-encoded bytes (UTF-8 text), then a tab. */
  bytes(b: Buffer, end = 9): this {
    this.room(b.length + 1);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    if (end >= 0) this.buf[this.pos++] = end;
    return this;
  }

  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
const NL = 10;
const U = (s: string) => Buffer.from(s, 'utf8');
const T = { bench: U('dev_bench'), member: U('会员'), earn: U('EARN_PURCHASE'), redeem: U('REDEEM'), purchase: U('purchase'), redemption: U('redemption'), earnReason: U('消费积分'), redeemReason: U('兑换'), actor: U('bench-seed') };

/**
 * `rulesVersion`: the rules version the entries were computed under (the base version, which the app creates
 * with id 1 on its first start and tags every untagged entry with: at 1M members that one UPDATE of 2.25M
 * rows inside the first request's transaction took more than 30 s).
 */
export function historyOf(first: number, last: number, now: number, rulesVersion = 1): Batch {
  const n = last - first + 1;
  const members = new Tsv(n * 60);
  const accounts = new Tsv(n * 40);
  const entries = new Tsv(n * 200);
  const lotsOut = new Tsv(n * 200);
  const moves = new Tsv(n * 10);
  const buckets = new Tsv(n * 60);
  let nBuckets = 0;
  let nEntries = 0;
  let nLots = 0;
  let nMoves = 0;
  let due = 0;
  const byNumber = new Map<number, [number, number]>();
  const roll = (code: 0 | 1, at: number, delta: number) => {
    const k = dayNumber(at) * 2 + code;
    const v = byNumber.get(k);
    if (v) {
      v[0] += 1;
      v[1] += delta;
    } else byNumber.set(k, [1, delta]);
  };
  // Per member: at most 3 lots (amount, remaining, earned, expires), reused.
  const amount = [0, 0, 0];
  const remaining = [0, 0, 0];
  const earnedAt = [0, 0, 0];
  const expiresAt = [0, 0, 0];
  /** "S<m>-<k>" / "dev_bench<m>" / "会员<m>" without building strings: the prefix bytes and the digits. */
  const tagged = (out: Tsv, prefix: Buffer, m: number, suffix: number, end = 9) => {
    out.bytes(prefix, -1);
    if (suffix < 0) out.int(m, end);
    else {
      out.int(m, 45); // '-'
      out.int(suffix, end);
    }
  };
  const S = U('S');
  const R = U('R');
  for (let m = first; m <= last; m++) {
    const h = hash(m);
    const joined = now - (400 + (h % 500)) * DAY;
    members.int(m);
    tagged(members, T.bench, m, -1);
    tagged(members, T.member, m, -1);
    members.int(joined + DAY).int(joined, NL);
    const purchases = 1 + (h % 3);
    let balance = 0;
    const entry0 = 4 * (m - 1);
    const lot0 = 3 * (m - 1);
    for (let k = 0; k < purchases; k++) {
      const isDue = k === 0 && h % 10 === 0;
      const earned = isDue ? now - (800 + (h % 60)) * DAY : now - (300 - k * 90 - (h % 30)) * DAY;
      const points = 10 + ((h >>> (k * 4)) % 490);
      balance += points;
      entries.int(entry0 + 1 + k).int(m).bytes(T.earn).int(points).int(balance).bytes(T.purchase);
      tagged(entries, S, m, k);
      entries.bytes(T.earnReason).bytes(T.actor).int(earned).int(rulesVersion, NL);
      amount[k] = points;
      remaining[k] = points;
      earnedAt[k] = earned;
      expiresAt[k] = isDue ? now - ((h >>> 8) % 20) * DAY - 1 : earned + 730 * DAY;
      roll(0, earned, points);
      if (isDue) due += 1;
    }
    nEntries += purchases;
    if (h % 4 === 0) {
      // A redemption from the newest lot (never a due one), half of it.
      const k = purchases - 1;
      const take = Math.max(1, Math.floor(amount[k]! / 2));
      remaining[k]! -= take;
      balance -= take;
      const entryId = entry0 + 1 + purchases;
      const at = now - 20 * DAY - (h % 10) * DAY;
      entries.int(entryId).int(m).bytes(T.redeem).int(-take).int(balance).bytes(T.redemption);
      tagged(entries, R, m, -1);
      entries.bytes(T.redeemReason).bytes(T.actor).int(at).int(rulesVersion, NL);
      moves.int(entryId).int(lot0 + 1 + k).int(m).int(-take, NL);
      nEntries += 1;
      nMoves += 1;
      roll(1, at, -take);
    }
    // One bucket per month with purchases (the purchases are 90 days apart, but summed all the same).
    const months = new Map<string, number>();
    for (let k = 0; k < purchases; k++) months.set(monthOf(earnedAt[k]!), (months.get(monthOf(earnedAt[k]!)) ?? 0) + amount[k]!);
    for (const [month, points] of months) buckets.int(m).bytes(U(month)).int(points, NL);
    nBuckets += months.size;
    for (let k = 0; k < purchases; k++) {
      lotsOut.int(lot0 + 1 + k).int(m).int(entry0 + 1 + k).int(amount[k]!).int(remaining[k]!).int(earnedAt[k]!).int(earnedAt[k]!).int(expiresAt[k]!).bytes(T.purchase);
      tagged(lotsOut, S, m, k, NL);
    }
    nLots += purchases;
    accounts.int(m).int(balance).int(0).int(0).int(0).int(now, NL);
  }
  const daily = new Map<string, [number, number]>();
  for (const [k, v] of byNumber) daily.set(`${k % 2 === 0 ? 'EARN_PURCHASE' : 'REDEEM'}|${dayLabel(Math.floor(k / 2))}`, v);
  return {
    first,
    last,
    text: { member: members.done(), member_account: accounts.done(), ledger_entry: entries.done(), points_lot: lotsOut.done(), lot_movement: moves.done(), member_qualifying_month: buckets.done() },
    rows: { member: n, member_account: n, ledger_entry: nEntries, points_lot: nLots, lot_movement: nMoves, member_qualifying_month: nBuckets },
    daily,
    due,
  };
}

/** The same rows as a multi-row INSERT's VALUES list (for servers where LOAD DATA LOCAL is off). */
export function toValues(text: Buffer): string {
  let out = '';
  for (const line of text.toString('utf8').split('\n')) {
    if (!line) continue;
    const fields = line.split('\t').map((v) => (v === '\\N' ? 'NULL' : /^-?\d+$/.test(v) ? v : `'${v}'`));
    out += `${out ? ',' : ''}(${fields.join(',')})`;
  }
  return out;
}
