import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../server/src/config';
import { CONFIG_DOC, renderConfigDoc } from '../../scripts/config-doc';

/**
 * docs/configuration.md is generated from the zod schemas (npm run docs:config) and must not go stale;
 * .env.example documents every variable the server reads.
 */
const ROOT = path.resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('configuration reference', () => {
  test('docs/configuration.md matches the schemas (run `npm run docs:config` after changing config)', () => {
    const fresh = renderConfigDoc();
    const current = readFileSync(CONFIG_DOC, 'utf8');
    if (current !== fresh) throw new Error('docs/configuration.md is stale: run `npm run docs:config` and commit the result');
    expect(current).toBe(fresh);
  });

  test('every variable the server reads is in the reference and in .env.example', () => {
    const read = new Set(Object.keys(envSchema.shape));
    for (const f of filesUnder(path.join(ROOT, 'server/src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) read.add((m[1] ?? m[2])!);
    }
    expect(read.size).toBeGreaterThan(5);
    const doc = readFileSync(CONFIG_DOC, 'utf8');
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const inExample = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    expect([...read].filter((v) => !doc.includes(`\`${v}\``))).toEqual([]);
    expect([...read].filter((v) => !inExample.has(v))).toEqual([]);
  });
});
