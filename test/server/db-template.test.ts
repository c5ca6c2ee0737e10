import 'reflect-metadata';
import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import { MIGRATIONS } from '../../server/src/db/migrations';
import { copyMysqlTemplate, MYSQL_TEMPLATE, sqliteTemplate, TEMPLATES_ON } from './db-template';
import { DB_KIND, startTestApp } from './helpers';

/**
 * Test databases are copies of a migrated template (db-template.ts). A copy must be exactly what a fresh
 * migration run gives: the same tables, columns, indexes, foreign keys, checks and seeded rows, and no
 * migration left pending (so openDatabase runs none).
 */
function mysqlUrl(name: string): string {
  const u = new URL(process.env.TEST_MYSQL_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Every row of every table. A seeded row's time (`…_at`, e.g. agreement_document.created_at) is when the
 * migration ran, which differs between any two runs: compared as "a time at or before now" only.
 */
async function rowsOf(ds: DataSource, tables: string[], q: (t: string) => string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const now = Date.now();
  for (const t of tables) {
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${q(t)} ORDER BY 1`);
    out[t] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /_at$/.test(k) && v !== null ? (Number(v) > 0 && Number(v) <= now ? 'a past time' : v) : v])),
    );
  }
  return out;
}

async function describeMysql(ds: DataSource, schema: string): Promise<unknown> {
  const s = [schema];
  const tables: { name: string }[] = await ds.query(
    "SELECT table_name AS name, engine, table_collation FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
    s,
  );
  const names = tables.map((t) => t.name);
  const creates: Record<string, string> = {};
  for (const n of names) {
    const [row] = await ds.query(`SHOW CREATE TABLE \`${n}\``);
    creates[n] = (row['Create Table'] as string).replace(/ AUTO_INCREMENT=\d+/, '');
  }
  const q = (sql: string) => ds.query(sql, s);
  return {
    tables,
    creates,
    columns: await q(
      'SELECT table_name, column_name, ordinal_position, column_default, is_nullable, column_type, character_set_name, collation_name, extra, generation_expression FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position',
    ),
    indexes: await q(
      'SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part, index_type FROM information_schema.statistics WHERE table_schema = ? ORDER BY table_name, index_name, seq_in_index',
    ),
    foreignKeys: await q(
      'SELECT k.table_name, k.constraint_name, k.column_name, k.ordinal_position, k.referenced_table_schema = k.table_schema AS same_schema, k.referenced_table_name, k.referenced_column_name, r.update_rule, r.delete_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name WHERE k.table_schema = ? ORDER BY k.table_name, k.constraint_name, k.ordinal_position',
    ),
    checks: await q('SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = ? ORDER BY table_name, constraint_name'),
    rows: await rowsOf(ds, names, (t) => `\`${t}\``),
  };
}

async function describeSqlite(ds: DataSource): Promise<unknown> {
  const master: { type: string; name: string; sql: string | null }[] = await ds.query('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name');
  const tables = master.filter((m) => m.type === 'table').map((m) => m.name);
  return { master, rows: await rowsOf(ds, tables, (t) => `"${t}"`), userVersion: await ds.query('PRAGMA user_version') };
}

describe(`a test database copied from the migrated template equals a fresh migration run (${DB_KIND})`, () => {
  // TEST_DB_TEMPLATE=0 turns templates off (every app migrates fresh): nothing to compare then.
  (TEMPLATES_ON ? test : test.skip)('tables, columns, indexes, foreign keys, checks and seeded rows; no migration pending', async () => {
    if (DB_KIND === 'mysql') {
      const tag = `${process.pid}_${Date.now() % 100000}`;
      const fresh = `jifen_t_fresh_${tag}`;
      const copy = `jifen_t_copy_${tag}`;
      const freshDs = await openDatabase(mysqlUrl(fresh), { poolSize: 2 });
      expect(await copyMysqlTemplate(copy)).toBe(true);
      const copyDs = await openDatabase(mysqlUrl(copy), { poolSize: 2 });
      try {
        expect(await copyDs.showMigrations()).toBe(false);
        const want = (await describeMysql(freshDs, fresh)) as { rows: Record<string, unknown[]>; indexes: unknown[] };
        // No migration declares a foreign key today; any one added later is compared like the rest.
        expect(want.indexes.length).toBeGreaterThan(50);
        const got = await describeMysql(copyDs, copy);
        expect(got).toEqual(want);
        // What the copy carries: every migration recorded, and the reference rows migrations seed.
        expect(want.rows.migrations).toHaveLength(MIGRATIONS.length);
        expect(Object.keys(want.rows).length).toBeGreaterThan(30);
      } finally {
        await freshDs.destroy();
        await copyDs.destroy();
        const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL!);
        await conn.query(`DROP DATABASE IF EXISTS \`${fresh}\``);
        await conn.query(`DROP DATABASE IF EXISTS \`${copy}\``);
        const [tpl] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = ?', [MYSQL_TEMPLATE]);
        await conn.end();
        expect(Number(tpl[0]!.n)).toBe(1);
      }
    } else {
      const image = await sqliteTemplate();
      expect(image).toBeInstanceOf(Buffer);
      const freshDs = await openDatabase('sqlite::memory:');
      const copyDs = await openDatabase('sqlite::memory:', { sqliteImage: image! });
      try {
        expect(await copyDs.showMigrations()).toBe(false);
        const want = (await describeSqlite(freshDs)) as { rows: Record<string, unknown[]> };
        expect(await describeSqlite(copyDs)).toEqual(want);
        expect(want.rows.migrations).toHaveLength(MIGRATIONS.length);
        // Each copy is its own database: a write to one is not seen by the next.
        await copyDs.query('DELETE FROM "migrations"');
        const again = await openDatabase('sqlite::memory:', { sqliteImage: image! });
        expect(await again.showMigrations()).toBe(false);
        await again.destroy();
      } finally {
        await freshDs.destroy();
        await copyDs.destroy();
      }
    }
  });

  test('an app on the copy works end to end: a member logs in and the ledger verifies', async () => {
    const t = await startTestApp();
    try {
      const res = await t.request('POST', '/api/v1/auth/wechat', { body: { code: 'dev:tpl-copy' } });
      expect(res.status).toBe(200);
      expect(await t.verify()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
