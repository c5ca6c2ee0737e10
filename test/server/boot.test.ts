import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { loadConfig, ConfigError } from '../../server/src/config';
import { killGroups } from './helpers';

/** Boot: config validated with a message naming the key; production never seeds demo data. */
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const rules = JSON.parse(require('node:fs').readFileSync(path.join(ROOT, 'config/rules.json'), 'utf8'));

function writeRules(mutate: (r: any) => void): string {
  const r = structuredClone(rules);
  mutate(r);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'jifen-rules-')), 'rules.json');
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('config validation', () => {
  test.each([
    ['anchor.points', (r: any) => (r.anchor.points = 0)],
    ['tiers.1.minPoints', (r: any) => (r.tiers[1].minPoints = 0)],
    ['tiers.2.multiplierPct', (r: any) => (r.tiers[2].multiplierPct = 1.5)],
    ['checkin.bonusEveryDays', (r: any) => (r.checkin.bonusEveryDays = 'seven')],
    ['expiry.policy', (r: any) => (r.expiry.policy = 'never')],
    ['purchase.pendingDays', (r: any) => delete r.purchase.pendingDays],
  ])('a bad %s stops the config with a message naming it', (key, mutate) => {
    const file = writeRules(mutate);
    expect(() => loadConfig({ RULES_FILE: file } as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ RULES_FILE: file } as NodeJS.ProcessEnv)).toThrow(key);
  });

  test('bad environment values name the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' } as NodeJS.ProcessEnv)).toThrow('PORT');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' } as NodeJS.ProcessEnv)).toThrow('DATABASE_URL');
    expect(() => loadConfig({ NODE_ENV: 'production' } as NodeJS.ProcessEnv)).toThrow('JWT_SECRET');
    const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), MEMBER_CODE_SECRET: randomBytes(32).toString('hex') };
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets } as NodeJS.ProcessEnv)).toThrow('WECHAT_APPID');
    expect(loadConfig({ NODE_ENV: 'production', ...secrets, WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' } as NodeJS.ProcessEnv).wechat.mode).toBe('real');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' } as NodeJS.ProcessEnv).wechat.mode).toBe('dev');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

// A server still running when the file ends (its test timed out on a loaded machine) is killed with its
// process group (tsx and its node child): its open output pipes would keep the jest worker alive.
const children = new Set<ChildProcess>();
afterAll(() => killGroups(children));

function run(env: Record<string, string>): { done: Promise<{ code: number | null; out: string }>; out: () => string; kill: () => void } {
  let out = '';
  const child = spawn(TSX, ['server/src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', EXPIRY_INTERVAL_MINUTES: '0', ...env }, detached: true });
  children.add(child);
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.on('close', () => children.delete(child));
  return { done: new Promise((r) => child.on('exit', (code) => r({ code, out }))), out: () => out, kill: () => child.kill('SIGTERM') };
}

describe('server boot (npm start)', () => {
  test('a bad rules file stops the server with exit code 2 and the key in the message', async () => {
    const file = writeRules((r) => (r.tiers[1].minPoints = 0));
    const { done } = run({ RULES_FILE: file, DATABASE_URL: 'sqlite::memory:' });
    const { code, out } = await done;
    expect(code).toBe(2);
    expect(out).toContain('tiers.1.minPoints');
  });

  test('NODE_ENV=production migrates but never seeds demo data (and never logs in dev:alice)', async () => {
    const port = await freePort();
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'jifen-prod-')), 'prod.sqlite');
    const proc = run({
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `sqlite:${db}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MEMBER_CODE_SECRET: randomBytes(32).toString('hex'),
      WECHAT_APPID: 'wx-test',
      WECHAT_SECRET: 'secret',
    });
    try {
      let health: any = null;
      for (let i = 0; i < 120 && !health; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
          if (res.ok) health = await res.json();
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect(health).toMatchObject({ ok: true, wechatMode: 'real' });
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/staff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'clerk-a', password: 'demo1234' }),
      });
      expect(login.status).toBe(401);
      const dev = await fetch(`http://127.0.0.1:${port}/api/v1/auth/wechat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'dev:alice' }),
      });
      expect(dev.status).not.toBe(200);
      expect(proc.out()).not.toContain('demo1234');
    } finally {
      proc.kill();
      await proc.done;
    }
    const Database = require('better-sqlite3');
    const conn = new Database(db, { readonly: true });
    try {
      expect(conn.prepare('SELECT COUNT(*) AS n FROM member').get().n).toBe(0);
      expect(conn.prepare('SELECT COUNT(*) AS n FROM staff').get().n).toBe(0);
      expect(conn.prepare('SELECT COUNT(*) AS n FROM reward').get().n).toBe(0);
    } finally {
      conn.close();
    }
  });
});
