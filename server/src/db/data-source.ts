import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
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

/** A DataSource for the URL; never synchronizes: the schema comes from migrations only. */
export function createDataSource(url: string, opts: { poolSize?: number } = {}): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (dbKindOf(url) === 'mysql') {
    return new DataSource({
      ...common,
      type: 'mysql',
      url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize: opts.poolSize ?? 20,
      extra: { connectionLimit: opts.poolSize ?? 20 },
    });
  }
  const file = url.slice('sqlite:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new DataSource({ ...common, type: 'better-sqlite3', database: file, enableWAL: file !== ':memory:' });
}

/** Connects (creating the MySQL database when missing) and runs pending migrations. */
export async function openDatabase(url: string, opts: { poolSize?: number } = {}): Promise<DataSource> {
  if (dbKindOf(url) === 'mysql') await ensureMysqlDatabase(url);
  const ds = createDataSource(url, opts);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
