import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, type QueryRunner } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DbKind = 'sqlite' | 'mysql';

export function dbKindOf(url: string): DbKind {
  if (url.startsWith('mysql://')) return 'mysql';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with mysql:// or sqlite: (got ${url.split(':')[0]}:)`);
}

/** Creates the MySQL database named in the URL when it is missing. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL database name must be [A-Za-z0-9_]+ (got "${name}")`);
  u.pathname = '/';
  const conn = await mysql.createConnection(u.toString());
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

/**
 * How long a SQLite connection waits for another process's write lock before "database is locked" (the
 * busy timeout). Write transactions are short and bounded (batches of 100 members at most), so a CLI beside
 * a running server, or the server beside a CLI, waits its turn well within this.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** A DataSource for the URL; never synchronizes: the schema comes from migrations only. */
export interface DbOptions {
  poolSize?: number;
  /** SQLite only; tests shorten it. */
  busyTimeoutMs?: number;
  /**
   * SQLite `:memory:` only: start from this serialized database (better-sqlite3's `serialize()`) instead of an
   * empty one. Tests start each app from one migrated image instead of running every migration again.
   */
  sqliteImage?: Buffer;
}

/**
 * Requests waiting for a pooled MySQL connection, per pooled connection. Past it a query fails at once
 * ("Queue limit reached") and the request is answered 503 with Retry-After instead of queueing without end.
 */
export const POOL_QUEUE_PER_CONNECTION = 25;

export function createDataSource(url: string, opts: DbOptions = {}): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (dbKindOf(url) === 'mysql') {
    return new DataSource({
      ...common,
      type: 'mysql',
      url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize: opts.poolSize ?? 20,
      // The ledger's write batches send a transaction's writes as one multi-statement query (write-batch.ts):
      // one round trip instead of one per row. Every statement is constant SQL with placeholders.
      multipleStatements: true,
      extra: { connectionLimit: opts.poolSize ?? 20, queueLimit: (opts.poolSize ?? 20) * POOL_QUEUE_PER_CONNECTION },
    });
  }
  const file = url.slice('sqlite:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // WAL: readers never wait for the writer, and the writer never waits for readers (a verify beside a server).
  const image = file === ':memory:' ? opts.sqliteImage : undefined;
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: file,
    enableWAL: file !== ':memory:',
    timeout: opts.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS,
    ...(image ? { driver: fromImage(image) } : {}),
  });
}

/** A better-sqlite3 constructor that opens a copy of the image (an in-memory database) whatever file it is given. */
function fromImage(image: Buffer): unknown {
  const Sqlite = require('better-sqlite3') as new (file: string | Buffer, options?: object) => object;
  return function FromImage(_file: string, options?: object) {
    return new Sqlite(Buffer.from(image), options);
  };
}

/**
 * SQLite write transactions start with BEGIN IMMEDIATE (TypeORM says BEGIN, i.e. DEFERRED). A deferred
 * transaction that reads and then writes cannot wait for the lock: when another process wrote in between,
 * SQLite fails it at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout,
 * which is how `npm run expire` failed beside a running server. IMMEDIATE takes the write lock first,
 * waiting up to the busy timeout for it. better-sqlite3 has one query runner per DataSource: patched once.
 */
function immediateWriteTransactions(ds: DataSource): void {
  const runner: QueryRunner = ds.driver.createQueryRunner('master');
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
    query(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql, parameters, structured as never)) as QueryRunner['query'];
}

/** Connects (creating the MySQL database when missing) and runs pending migrations. */
export async function openDatabase(url: string, opts: DbOptions = {}): Promise<DataSource> {
  if (dbKindOf(url) === 'mysql') await ensureMysqlDatabase(url);
  const ds = createDataSource(url, opts);
  await ds.initialize();
  if (ds.options.type === 'better-sqlite3') immediateWriteTransactions(ds);
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
