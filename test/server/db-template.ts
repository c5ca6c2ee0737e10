import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { openDatabase } from '../../server/src/db/data-source';
import { MIGRATIONS } from '../../server/src/db/migrations';

/**
 * Test databases start from a migrated template instead of running every migration again (~370 test apps;
 * each migration run took 3–10 s on MariaDB under load, ~0.3 s on SQLite):
 *  - MySQL: one schema `jifen_tpl_<hash>` per migration set, built once under GET_LOCK so parallel jest
 *    workers (and other worktrees) never race; each test schema is created from it with SHOW CREATE TABLE
 *    (CREATE TABLE … LIKE drops foreign keys) and INSERT … SELECT for the tables migrations seed with rows.
 *  - SQLite `:memory:`: one migrated database per process, serialized; each app opens a copy of the image.
 * The hash covers every migration's name and source, so a changed migration set builds a new template.
 * Anything failing here falls back to migrating fresh (the caller runs openDatabase, which migrates what is
 * missing). TEST_DB_TEMPLATE=0 turns templates off.
 */
export const TEMPLATES_ON = process.env.TEST_DB_TEMPLATE !== '0';

export const MIGRATIONS_HASH = createHash('sha256')
  .update(MIGRATIONS.map((m) => `${m.name}\n${String(m)}`).join('\n\n'))
  .digest('hex')
  .slice(0, 16);

export const MYSQL_TEMPLATE = `jifen_tpl_${MIGRATIONS_HASH}`;
const READY_TABLE = 'zz_template_ready';
/** Another migration set's template older than this is dropped when a new one is built (stale worktrees). */
const STALE_TEMPLATE_HOURS = 24;
/** Connections a copy creates its tables over (TEST_DB_COPY_LANES). */
const COPY_LANES = Math.max(1, Number(process.env.TEST_DB_COPY_LANES ?? 4) || 1);

let warned = false;
function warnOnce(what: string, err: unknown): void {
  if (warned) return;
  warned = true;
  // eslint-disable-next-line no-console
  console.warn(`test database template: ${what} failed, migrating fresh instead: ${(err as Error)?.message ?? err}`);
}

// ---------------------------------------------------------------------------------------------------- SQLite

let sqliteImage: Promise<Buffer | null> | null = null;

/** The serialized migrated SQLite database (one per process), or null when it could not be made. */
export function sqliteTemplate(): Promise<Buffer | null> {
  if (!TEMPLATES_ON) return Promise.resolve(null);
  sqliteImage ??= (async () => {
    try {
      const ds = await openDatabase('sqlite::memory:');
      try {
        return (ds.driver as unknown as { databaseConnection: { serialize(): Buffer } }).databaseConnection.serialize();
      } finally {
        await ds.destroy();
      }
    } catch (err) {
      warnOnce('the SQLite image', err);
      return null;
    }
  })();
  return sqliteImage;
}

// ----------------------------------------------------------------------------------------------------- MySQL

interface MysqlTemplate {
  /** SHOW CREATE TABLE of every table, in any order (copies run with foreign_key_checks=0). */
  creates: string[];
  /** Tables the migrations left rows in. */
  seeded: string[];
}

let mysqlTemplate: Promise<MysqlTemplate | null> | null = null;
/** A failed copy reads the template again once (another process may have rebuilt it). */
let reread = false;

function adminUrl(): string {
  const base = process.env.TEST_MYSQL_URL;
  if (!base) throw new Error('TEST_DB=mysql needs TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306)');
  return base;
}

function urlFor(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function buildMysqlTemplate(): Promise<MysqlTemplate> {
  const conn = await mysql.createConnection({ uri: adminUrl(), multipleStatements: true });
  try {
    const [lock] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 600) AS got', [MYSQL_TEMPLATE]);
    if (Number(lock[0]!.got) !== 1) throw new Error(`GET_LOCK(${MYSQL_TEMPLATE}) timed out`);
    try {
      const [ready] = await conn.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
        [MYSQL_TEMPLATE, READY_TABLE],
      );
      if (Number(ready[0]!.n) === 0) {
        // Absent or left half-built by a process that died: built again from nothing.
        await conn.query(`DROP DATABASE IF EXISTS \`${MYSQL_TEMPLATE}\``);
        const ds = await openDatabase(urlFor(MYSQL_TEMPLATE), { poolSize: 2 });
        await ds.destroy();
        await conn.query(`CREATE TABLE \`${MYSQL_TEMPLATE}\`.\`${READY_TABLE}\` (id INT PRIMARY KEY)`);
        await dropStaleTemplates(conn);
      }
      const [tables] = await conn.query<mysql.RowDataPacket[]>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> ? ORDER BY table_name",
        [MYSQL_TEMPLATE, READY_TABLE],
      );
      const creates: string[] = [];
      const seeded: string[] = [];
      for (const { name } of tables as { name: string }[]) {
        const [show] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${MYSQL_TEMPLATE}\`.\`${name}\``);
        creates.push(show[0]!['Create Table'] as string);
        const [count] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${MYSQL_TEMPLATE}\`.\`${name}\``);
        if (Number(count[0]!.n) > 0) seeded.push(name);
      }
      if (!seeded.includes('migrations')) throw new Error('the template has no migrations rows');
      return { creates, seeded };
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [MYSQL_TEMPLATE]);
    }
  } finally {
    await conn.end();
  }
}

/** Drops other migration sets' templates whose tables are older than STALE_TEMPLATE_HOURS. */
async function dropStaleTemplates(conn: mysql.Connection): Promise<void> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT table_schema AS name FROM information_schema.tables
     WHERE table_schema LIKE 'jifen\\_tpl\\_%' AND table_schema <> ? AND table_name = ?
       AND create_time < NOW() - INTERVAL ? HOUR`,
    [MYSQL_TEMPLATE, READY_TABLE, STALE_TEMPLATE_HOURS],
  );
  for (const { name } of rows as { name: string }[]) {
    if (/^jifen_tpl_[0-9a-f]+$/.test(name)) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
}

/**
 * Creates the MySQL database `dbName` as a copy of the migrated template. Returns false (nothing left behind)
 * when the template could not be made or copied: the caller then migrates the database fresh.
 */
export async function copyMysqlTemplate(dbName: string): Promise<boolean> {
  if (!TEMPLATES_ON) return false;
  if (!/^[A-Za-z0-9_]+$/.test(dbName)) return false;
  mysqlTemplate ??= buildMysqlTemplate().catch((err) => {
    warnOnce('building the MySQL template', err);
    return null;
  });
  const tpl = await mysqlTemplate;
  if (!tpl) return false;
  const conn = await mysql.createConnection({ uri: adminUrl(), multipleStatements: true });
  try {
    await conn.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    // The tables are created over a few connections at once: each CREATE TABLE mostly waits on InnoDB's disk
    // writes, which overlap (foreign keys are not checked, so order does not matter).
    const lanes = Array.from({ length: COPY_LANES }, (_, i) => tpl.creates.filter((_c, j) => j % COPY_LANES === i));
    await Promise.all(
      lanes.map(async (creates, i) => {
        const c = i === 0 ? conn : await mysql.createConnection({ uri: adminUrl(), multipleStatements: true });
        try {
          await c.query([`USE \`${dbName}\``, 'SET foreign_key_checks = 0', ...creates].join(';\n'));
        } finally {
          if (c !== conn) await c.end().catch(() => undefined);
        }
      }),
    );
    const seeds = tpl.seeded.map((t) => `INSERT INTO \`${dbName}\`.\`${t}\` SELECT * FROM \`${MYSQL_TEMPLATE}\`.\`${t}\``);
    await conn.query(['SET foreign_key_checks = 0', ...seeds, 'SET foreign_key_checks = 1'].join(';\n'));
    return true;
  } catch (err) {
    warnOnce('copying the MySQL template', err);
    if (!reread) {
      reread = true;
      mysqlTemplate = null;
    }
    await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch(() => undefined);
    return false;
  } finally {
    await conn.end().catch(() => undefined);
  }
}
