import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Secrets outside production: generated at random once and kept in a file beside the SQLite database
 * (`<db>.secrets.json`, mode 0600) or, for MySQL, in `data/secrets.json`; an in-memory SQLite database gets
 * fresh ones per process (its data dies with it). Never a constant in the code: a constant lets anyone
 * who reads the source mint an admin token for any server started without its own secret.
 */
export interface DevSecrets {
  jwtSecret: string;
  memberCodeSecret: string;
}

/** The constants earlier versions fell back to: a production server refuses them (they are public). */
export const KNOWN_PUBLIC_SECRETS: readonly string[] = [
  'jifen-dev-secret-not-for-production-0000',
  'jifen-dev-secret-not-for-production-0000-code',
];

function fresh(): DevSecrets {
  return { jwtSecret: randomBytes(32).toString('hex'), memberCodeSecret: randomBytes(32).toString('hex') };
}

/** Where the secrets of a database live, or null for an in-memory database (nothing to keep). */
export function secretsFileFor(databaseUrl: string, dataDir: string): string | null {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    if (file === ':memory:' || file === '') return null;
    const abs = path.resolve(file);
    return path.join(path.dirname(abs), `${path.basename(abs, path.extname(abs))}.secrets.json`);
  }
  return path.join(dataDir, 'secrets.json');
}

function read(file: string): DevSecrets {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
  if (typeof raw.jwtSecret !== 'string' || raw.jwtSecret.length < 32 || typeof raw.memberCodeSecret !== 'string' || raw.memberCodeSecret.length < 32) {
    throw new Error(`${file} is not a secrets file (delete it to generate new secrets; everyone is signed out)`);
  }
  return { jwtSecret: raw.jwtSecret, memberCodeSecret: raw.memberCodeSecret };
}

/**
 * The secrets kept for this database, created on first use. Creation is atomic (a temporary file hard-linked
 * into place), so a server and a CLI started at the same moment end up with the same secrets.
 */
export function devSecrets(databaseUrl: string, dataDir: string): { secrets: DevSecrets; file: string | null } {
  const file = secretsFileFor(databaseUrl, dataDir);
  if (!file) return { secrets: fresh(), file: null };
  try {
    return { secrets: read(file), file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(fresh(), null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process won the race: use its file
  } finally {
    unlinkSync(tmp);
  }
  return { secrets: read(file), file };
}

/**
 * Why a production secret is unacceptable, or null: a published constant, under 32 bytes, or obviously low
 * entropy (few distinct characters, or little Shannon entropy over its length: 'a' x 32, 'abab...').
 * `openssl rand -hex 32` (64 hex digits, ~250 bits by this estimate) passes with room to spare.
 */
export function weakSecretReason(value: string): string | null {
  if (KNOWN_PUBLIC_SECRETS.includes(value)) return 'is a published development constant';
  if (Buffer.byteLength(value, 'utf8') < 32) return 'is shorter than 32 bytes';
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let bitsPerChar = 0;
  for (const c of counts.values()) bitsPerChar -= (c / n) * Math.log2(c / n);
  if (counts.size < 10 || bitsPerChar * n < 100) return 'has too little entropy (use e.g. `openssl rand -hex 32`)';
  return null;
}
