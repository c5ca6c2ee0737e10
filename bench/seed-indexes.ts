import type { Pool } from 'mysql2/promise';

/**
 * Secondary indexes set aside during the bench's bulk load and built after it (issue 14.5). Inserting a million
 * members' rows into eleven secondary B-trees in key order is random I/O once the trees outgrow the buffer
 * pool; InnoDB builds an index added to a full table by sorting (one scan, merge sort, bottom-up build), which is
 * sequential. What is dropped is read from information_schema, so new indexes from later migrations are rebuilt
 * too; the primary keys stay (rows arrive in primary-key order).
 */
export interface DeferredIndex {
  table: string;
  name: string;
  unique: boolean;
  /** `col` or `col(len)`, in index order. */
  columns: string[];
}

/** The secondary indexes of `tables` now, plus any an earlier, unfinished seed dropped and did not rebuild. */
export async function secondaryIndexes(pool: Pool, tables: readonly string[]): Promise<DeferredIndex[]> {
  const [rows] = (await pool.query(
    `SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, COLUMN_NAME AS c, SUB_PART AS sp
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?) AND INDEX_NAME <> 'PRIMARY'
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [tables],
  )) as unknown as [{ t: string; i: string; nu: number | string; c: string; sp: number | null }[]];
  const byKey = new Map<string, DeferredIndex>();
  for (const r of rows) {
    const key = `${r.t}.${r.i}`;
    let ix = byKey.get(key);
    if (!ix) byKey.set(key, (ix = { table: r.t, name: r.i, unique: Number(r.nu) === 0, columns: [] }));
    ix.columns.push(r.sp ? `\`${r.c}\`(${r.sp})` : `\`${r.c}\``);
  }
  const [pending] = (await pool.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'bench_seed_index'")) as unknown as [{ n: number }[]];
  if (Number(pending[0]!.n) > 0) {
    const [left] = (await pool.query('SELECT table_name AS t, index_name AS i, is_unique AS u, columns_sql AS c FROM bench_seed_index')) as unknown as [{ t: string; i: string; u: number; c: string }[]];
    for (const r of left) if (!byKey.has(`${r.t}.${r.i}`)) byKey.set(`${r.t}.${r.i}`, { table: r.t, name: r.i, unique: Number(r.u) === 1, columns: r.c.split(', ') });
  }
  return [...byKey.values()];
}

function byTable(ixs: DeferredIndex[]): Map<string, DeferredIndex[]> {
  const m = new Map<string, DeferredIndex[]>();
  for (const ix of ixs) m.set(ix.table, [...(m.get(ix.table) ?? []), ix]);
  return m;
}

/**
 * Notes them in `bench_seed_index` first (so a seed stopped before the rebuild still knows what to rebuild on the
 * next attempt), then one ALTER per table (dropping is cheap on empty tables).
 */
export async function dropIndexes(pool: Pool, ixs: DeferredIndex[]): Promise<void> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_seed_index (table_name VARCHAR(64) NOT NULL, index_name VARCHAR(64) NOT NULL, is_unique INT NOT NULL, columns_sql VARCHAR(1000) NOT NULL, PRIMARY KEY (table_name, index_name))');
  if (ixs.length) await pool.query('REPLACE INTO bench_seed_index (table_name, index_name, is_unique, columns_sql) VALUES ?', [ixs.map((ix) => [ix.table, ix.name, ix.unique ? 1 : 0, ix.columns.join(', ')])]);
  const [present] = (await pool.query('SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()')) as unknown as [{ t: string; i: string }[]];
  const exists = new Set(present.map((r) => `${r.t}.${r.i}`));
  for (const [table, list] of byTable(ixs.filter((ix) => exists.has(`${ix.table}.${ix.name}`)))) {
    await pool.query(`ALTER TABLE \`${table}\` ${list.map((ix) => `DROP INDEX \`${ix.name}\``).join(', ')}`);
  }
}

/**
 * Builds them back, one ALTER per table (one scan of the table feeds all its new indexes), the tables in
 * parallel on `parallel` connections; returns the milliseconds each table took.
 */
export async function addIndexes(pool: Pool, ixs: DeferredIndex[], parallel = 2): Promise<Record<string, number>> {
  const jobs = [...byTable(ixs)].sort((a, b) => b[1].length - a[1].length);
  const took: Record<string, number> = {};
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [table, list] = job;
      const t0 = Date.now();
      const adds = list.map((ix) => `ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX \`${ix.name}\` (${ix.columns.join(', ')})`);
      await pool.query(`ALTER TABLE \`${table}\` ${adds.join(', ')}, ALGORITHM = INPLACE, LOCK = NONE`);
      took[table] = Date.now() - t0;
      await pool.query('DELETE FROM bench_seed_index WHERE table_name = ?', [table]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return took;
}
