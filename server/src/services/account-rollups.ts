import type { EntityManager } from 'typeorm';

/**
 * The account figures of the health report kept by the rollups' catch-up job (issue 14.4), so the report never
 * passes over every account: `member_debt` (the debt of each member who has one, refreshed for the members of
 * every entry the job folds: a member's debt only changes together with an entry of theirs) and the member
 * count in `rollup_total` ('members' up to `last_id`, folded with the same lag as the ledger's entries).
 * Readers add the live figures of whatever is after the watermarks, so what they show is exact.
 */
type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const CHUNK = 1000;

/** Copies the accounts' debt of these members into member_debt (plain reads: no lock on any account). */
export async function refreshDebts(m: EntityManager, memberIds: number[]): Promise<void> {
  for (let i = 0; i < memberIds.length; i += CHUNK) {
    const ids = memberIds.slice(i, i + CHUNK);
    const rows = (await m.query(`SELECT member_id, debt FROM member_account WHERE member_id IN (${marks(ids.length)}) AND debt > 0`, ids)) as Row[];
    await m.query(`DELETE FROM member_debt WHERE member_id IN (${marks(ids.length)})`, ids);
    if (rows.length > 0) await m.query(`INSERT INTO member_debt (member_id, debt) VALUES ${rows.map(() => '(?, ?)').join(', ')}`, rows.flatMap((r) => [num(r.member_id), num(r.debt)]));
  }
}

/** Counts the members created before the cutoff into rollup_total ('members'); returns how many it counted. */
export async function foldMembers(m: EntityManager, cutoffMs: number, batch: number, nowMs: number): Promise<number> {
  const [t] = (await m.query("SELECT last_id FROM rollup_total WHERE name = 'members'")) as Row[];
  const last = num(t?.last_id);
  const rows = (await m.query(`SELECT id, created_at FROM member WHERE id > ? ORDER BY id LIMIT ${batch}`, [last])) as Row[];
  let upTo = last;
  let n = 0;
  for (const r of rows) {
    if (num(r.created_at) > cutoffMs) break; // too young: it and everything after it wait for the next run
    upTo = num(r.id);
    n += 1;
  }
  if (n > 0) await m.query("UPDATE rollup_total SET last_id = ?, value = value + ?, updated_at = ? WHERE name = 'members'", [upTo, n, nowMs]);
  return n;
}

/** Members, debt and members in debt now: the rollups plus the live figures after the watermarks (one snapshot). */
export async function accountFigures(m: EntityManager, entryWatermark: number): Promise<{ members: number; debt: number; indebted: number }> {
  const [t] = (await m.query("SELECT last_id, value FROM rollup_total WHERE name = 'members'")) as Row[];
  const [young] = (await m.query('SELECT COUNT(*) AS n FROM member WHERE id > ?', [num(t?.last_id)])) as Row[];
  // Members with entries after the watermark: their debt is read live, the others' from member_debt.
  const tail = 'SELECT member_id FROM ledger_entry WHERE id > ?';
  const [kept] = (await m.query(`SELECT COALESCE(SUM(debt), 0) AS debt, COUNT(*) AS n FROM member_debt WHERE member_id NOT IN (${tail})`, [entryWatermark])) as Row[];
  const [live] = (await m.query(`SELECT COALESCE(SUM(debt), 0) AS debt, COUNT(*) AS n FROM member_account WHERE debt > 0 AND member_id IN (${tail})`, [entryWatermark])) as Row[];
  return { members: num(t?.value) + num(young?.n), debt: num(kept?.debt) + num(live?.debt), indebted: num(kept?.n) + num(live?.n) };
}

/** verify's check of the account rollups (one snapshot, entries up to `entryWatermark` folded). */
export async function verifyAccountRollups(q: (sql: string, params?: unknown[]) => Promise<Row[]>, entryWatermark: number, problem: (p: string) => void): Promise<void> {
  const [t] = await q("SELECT last_id, value FROM rollup_total WHERE name = 'members'");
  const [c] = await q('SELECT COUNT(*) AS n FROM member WHERE id <= ?', [num(t?.last_id)]);
  if (num(c?.n) !== num(t?.value)) problem(`rollup members: rollup_total has ${num(t?.value)} members up to id ${num(t?.last_id)}, the member table ${num(c?.n)}`);
  const untouched = 'NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.member_id = a.member_id AND e.id > ?)';
  for (const r of await q(
    `SELECT a.member_id, a.debt, d.debt AS kept FROM member_account a LEFT JOIN member_debt d ON d.member_id = a.member_id
      WHERE a.debt <> COALESCE(d.debt, 0) AND ${untouched}`,
    [entryWatermark],
  )) {
    problem(`rollup debt: member ${num(r.member_id)} owes ${num(r.debt)}, member_debt has ${r.kept === null || r.kept === undefined ? 'no row' : num(r.kept)}`);
  }
  for (const r of await q('SELECT d.member_id, d.debt FROM member_debt d LEFT JOIN member_account a ON a.member_id = d.member_id WHERE a.member_id IS NULL OR d.debt <= 0')) {
    problem(`rollup debt: member_debt has ${num(r.debt)} for member ${num(r.member_id)} (no account, or not a debt)`);
  }
}
