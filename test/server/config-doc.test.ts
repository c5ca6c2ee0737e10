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

  test('compose.yaml passes every variable an operator may set to the app, with the server\'s own defaults', () => {
    // Compose reads .env only to fill in compose.yaml: a variable the app service does not list never reaches
    // the container, whatever .env says.
    const compose = readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8');
    const app = compose.slice(compose.indexOf('\n  app:'), compose.indexOf('\nvolumes:'));
    const listed = new Map([...app.matchAll(/^ {6}([A-Z][A-Z0-9_]*): (.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]));
    // Not for a deployment: HOST (production already listens on every interface, as a container must) and
    // the WeChat test stand-ins.
    const notForCompose = ['HOST', 'WECHAT_API_BASE', 'WECHAT_MESSAGE_LOG'];
    const keys = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
    expect(keys.filter((k) => !listed.has(k) && !notForCompose.includes(k))).toEqual([]);
    expect([...listed.keys()].filter((k) => k.startsWith('MARIADB_'))).toEqual([]); // the root password stays with the database
    // A default given in compose.yaml is the server's, except where a deployment differs on purpose.
    const onPurpose: Record<string, string> = { TRUST_PROXY: '1', WECHAT_MODE: 'real' };
    for (const [k, value] of listed) {
      const m = /^\$\{([A-Z0-9_]+):-([^}]*)\}$/.exec(value);
      if (!m || !(k in envSchema.shape)) continue;
      expect({ k, passes: m[1] }).toEqual({ k, passes: k });
      const parsed = (envSchema.shape as Record<string, { parse: (v: unknown) => unknown }>)[k]!.parse(undefined);
      const serverDefault = parsed === undefined ? '' : String(parsed); // no default: empty, which the server treats as unset
      const expected = onPurpose[k] ?? (k === 'RULES_FILE' ? '/app/config/rules.json' : serverDefault);
      expect({ k, default: m[2] }).toEqual({ k, default: expected });
    }
  });
});
