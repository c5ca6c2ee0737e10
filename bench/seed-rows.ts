/**
 * The bench's scale data, generated (issue 14.5): members first..last, each with an account and a few months of
 * history (1-3 purchases earning points in lots, a redemption for one member in four, one lot in ten already due
 * for expiry). Ids are given, not generated: member m owns ledger entries 4(m-1)+1..4m and lots 3(m-1)+1..3m, so
 * batches never wait on one another and nothing is read back. The result satisfies every ledger invariant.
 *
 * Rows come out as tab-separated text, one string per table, in the format of LOAD DATA's defaults (tab between
 * fields, newline after each row, \N for NULL), which is what seed-history.ts streams to MariaDB; `toValues`
 * turns the same text into a multi-row INSERT's VALUES where LOAD DATA LOCAL is not allowed. No field holds a
 * tab, newline, quote or backslash, so nothing needs escaping.
 */
const DAY = 86_400_000;

/** The columns each table's text carries, in order; the rest take their defaults (NULL or the column default). */
export const COLUMNS = {
  member: ['id', 'openid', 'nickname', 'first_purchase_at', 'created_at'],
  member_account: ['member_id', 'balance', 'debt', 'version', 'checkin_streak', 'updated_at'],
  ledger_entry: ['id', 'member_id', 'code', 'delta', 'balance_after', 'ref_type', 'ref_id', 'reason', 'actor', 'created_at'],
  points_lot: ['id', 'member_id', 'entry_id', 'amount', 'remaining', 'earned_at', 'activates_at', 'expires_at', 'ref_type', 'ref_id'],
  lot_movement: ['entry_id', 'lot_id', 'member_id', 'delta'],
} as const;
export type SeedTable = keyof typeof COLUMNS;
export const SEED_TABLES = Object.keys(COLUMNS) as SeedTable[];

export interface Batch {
  first: number;
  last: number;
  /** Tab-separated rows per table. */
  text: Record<SeedTable, string>;
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

export function historyOf(first: number, last: number, now: number): Batch {
  let members = '';
  let accounts = '';
  let entries = '';
  let lotsText = '';
  let moves = '';
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
  for (let m = first; m <= last; m++) {
    const h = hash(m);
    const joined = now - (400 + (h % 500)) * DAY;
    members += `${m}\tdev_bench${m}\t会员${m}\t${joined + DAY}\t${joined}\n`;
    const purchases = 1 + (h % 3);
    let balance = 0;
    const entry0 = 4 * (m - 1);
    const lot0 = 3 * (m - 1);
    for (let k = 0; k < purchases; k++) {
      const isDue = k === 0 && h % 10 === 0;
      const earned = isDue ? now - (800 + (h % 60)) * DAY : now - (300 - k * 90 - (h % 30)) * DAY;
      const points = 10 + ((h >>> (k * 4)) % 490);
      balance += points;
      entries += `${entry0 + 1 + k}\t${m}\tEARN_PURCHASE\t${points}\t${balance}\tpurchase\tS${m}-${k}\t消费积分\tbench-seed\t${earned}\n`;
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
      entries += `${entryId}\t${m}\tREDEEM\t${-take}\t${balance}\tredemption\tR${m}\t兑换\tbench-seed\t${at}\n`;
      moves += `${entryId}\t${lot0 + 1 + k}\t${m}\t${-take}\n`;
      nEntries += 1;
      nMoves += 1;
      roll(1, at, -take);
    }
    for (let k = 0; k < purchases; k++) {
      lotsText += `${lot0 + 1 + k}\t${m}\t${entry0 + 1 + k}\t${amount[k]}\t${remaining[k]}\t${earnedAt[k]}\t${earnedAt[k]}\t${expiresAt[k]}\tpurchase\tS${m}-${k}\n`;
    }
    nLots += purchases;
    accounts += `${m}\t${balance}\t0\t0\t0\t${now}\n`;
  }
  const daily = new Map<string, [number, number]>();
  for (const [k, v] of byNumber) daily.set(`${k % 2 === 0 ? 'EARN_PURCHASE' : 'REDEEM'}|${dayLabel(Math.floor(k / 2))}`, v);
  const n = last - first + 1;
  return {
    first,
    last,
    text: { member: members, member_account: accounts, ledger_entry: entries, points_lot: lotsText, lot_movement: moves },
    rows: { member: n, member_account: n, ledger_entry: nEntries, points_lot: nLots, lot_movement: nMoves },
    daily,
    due,
  };
}

/** The same rows as a multi-row INSERT's VALUES list (for servers where LOAD DATA LOCAL is off). */
export function toValues(text: string): string {
  let out = '';
  for (const line of text.split('\n')) {
    if (!line) continue;
    const fields = line.split('\t').map((v) => (v === '\\N' ? 'NULL' : /^-?\d+$/.test(v) ? v : `'${v}'`));
    out += `${out ? ',' : ''}(${fields.join(',')})`;
  }
  return out;
}
