import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DB_KIND } from './helpers';

/**
 * The compiled server (issue 12): `npm run build:server` output runs under plain `node` in production mode
 * on this suite's database, and needs nothing from the devDependencies (so `npm prune --omit=dev` keeps
 * it working; CI also runs the real prune on a copy, see .ci/prod-start.sh).
 */
const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'server/dist');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('compiled server', () => {
  let dbUrl: string;
  let dropDb: () => Promise<void> = async () => {};
  beforeAll(async () => {
    // esbuild only (under a second); the type check of `npm run build:server` is covered by the typecheck.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'server/scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
    if (DB_KIND === 'mysql') {
      const name = `jifen_t_compiled_${process.pid}`;
      const u = new URL(process.env.TEST_MYSQL_URL!);
      u.pathname = `/${name}`;
      dbUrl = u.toString();
      dropDb = async () => {
        const c = await mysql.createConnection(process.env.TEST_MYSQL_URL!);
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await c.end();
      };
    } else {
      dbUrl = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'jifen-compiled-')), 'prod.sqlite')}`;
    }
  });
  let server: ChildProcess | null = null;
  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL'); // a test that timed out must not keep the worker alive
    await dropDb();
  });

  test('every package the compiled files require is a production dependency', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
    const required = new Set<string>();
    for (const f of readdirSync(DIST).filter((n) => n.endsWith('.js'))) {
      for (const m of readFileSync(path.join(DIST, f), 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:') || spec.startsWith('.')) continue;
        required.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect([...required]).toEqual(expect.arrayContaining(['koa', 'typeorm', 'zod']));
    expect([...required].filter((p) => p.startsWith('@jifen/'))).toEqual([]); // shared is compiled in
    const notProduction = [...required].filter((p) => {
      const entry = lock.packages[`node_modules/${p}`];
      return !entry || entry.dev === true;
    });
    expect(notProduction).toEqual([]);
  });

  test('node server/dist/main.js serves the API in production mode; the compiled verify CLI runs', async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: dbUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MEMBER_CODE_SECRET: randomBytes(32).toString('hex'),
      WECHAT_APPID: 'wx-test',
      WECHAT_SECRET: 'secret',
      LOG_LEVEL: 'warn',
      EXPIRY_INTERVAL_MINUTES: '0',
    };
    let out = '';
    const child = spawn(process.execPath, ['--enable-source-maps', path.join(DIST, 'main.js')], { cwd: ROOT, env });
    server = child;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      let health: any = null;
      for (let i = 0; i < 120 && !health && child.exitCode === null; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
          if (res.ok) health = await res.json();
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect({ health, out: health ? '' : out }).toMatchObject({ health: { ok: true, db: DB_KIND }, out: '' });
      const index = (await (await fetch(`http://127.0.0.1:${port}/api/v1`)).json()) as { version: string };
      expect(index.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/docs`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const verify = spawnSync(process.execPath, [path.join(DIST, 'verify.js')], { cwd: ROOT, env, encoding: 'utf8' });
    expect({ status: verify.status, out: verify.stdout + verify.stderr }).toEqual({ status: 0, out: expect.stringContaining('members checked, OK') });
  });
});
