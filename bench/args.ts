import mysql from 'mysql2/promise';

/** The bench scripts' command line: `--name value` flags and `--switch`es, checked the same way everywhere. */
const argv = process.argv.slice(2);

export const hasFlag = (name: string): boolean => argv.includes(`--${name}`);

/** `--name value` as given, or undefined. */
export function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? '') : undefined;
}

/** `--name N`, an integer in min..max (the fallback when absent); anything else stops the script. */
export function intFlag(name: string, fallback: number, min: number, max: number): number {
  const raw = flag(name);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return v;
}

/** A bench database name from `--db` (letters, digits, underscore), or the fallback. */
export function dbNameFlag(fallback: string): string {
  const name = flag('db') ?? fallback;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('--db: letters, digits, underscore');
  return name;
}

/** Creates the bench's MariaDB database (dropped first with --fresh) and returns its URL. */
export async function benchDatabase(base: string, name: string): Promise<string> {
  const u = new URL(base);
  u.pathname = '/';
  const admin = await mysql.createConnection(u.toString());
  try {
    if (hasFlag('fresh')) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  return u.toString();
}
