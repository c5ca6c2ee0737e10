import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { SignJWT } from 'jose';
import { loadConfig } from '../../server/src/config';
import { KNOWN_PUBLIC_SECRETS, weakSecretReason } from '../../server/src/secrets';
import { createHttpServer, listen, listeningLine, SERVER_TIMEOUTS } from '../../server/src/listen';
import { addStoresAndStaff, loginMember, staffToken, startTestApp, type TestApp, killGroups } from './helpers';

/** Issue 8 item 1: no forgeable demo. No constant secret, demo on loopback, production refuses weak settings. */
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const OLD_CONSTANT = 'jifen-dev-secret-not-for-production-0000';

describe('a token signed with the old constant secret', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const forge = (claims: Record<string, unknown>, sub: string) => {
    const iat = Math.floor(t.clock().getTime() / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('jifen').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(new TextEncoder().encode(OLD_CONSTANT));
  };

  test('gets 401 as an admin and as a member (claims that a real token of the same accounts carries)', async () => {
    await addStoresAndStaff(t);
    const real = await staffToken(t, 'admin');
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString());
    expect((await t.request('GET', '/api/v1/admin/staff', { token: real })).status).toBe(200);
    const admin = await forge({ k: 's', role: claims.role, store: claims.store, u: claims.u, sv: claims.sv }, claims.sub);
    const res = await t.request('GET', '/api/v1/admin/staff', { token: admin });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const alice = await loginMember(t, 'alice');
    expect((await t.request('GET', '/api/v1/me', { token: alice.token })).status).toBe(200);
    const member = await forge({ k: 'm' }, String(alice.id));
    expect((await t.request('GET', '/api/v1/me', { token: member })).status).toBe(401);
    expect(t.config.jwtSecret).not.toBe(OLD_CONSTANT);
    expect(KNOWN_PUBLIC_SECRETS).not.toContain(t.config.memberCodeSecret);
  });
});

describe('development secrets', () => {
  test('are generated once, kept beside the SQLite file (0600) and reused; another database gets its own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jifen-secrets-'));
    const env = { NODE_ENV: 'development', DATABASE_URL: `sqlite:${path.join(dir, 'shop.sqlite')}` } as NodeJS.ProcessEnv;
    const first = loadConfig(env);
    expect(first.secretsFile).toBe(path.join(dir, 'shop.secrets.json'));
    expect(statSync(first.secretsFile!).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(readFileSync(first.secretsFile!, 'utf8'));
    expect(kept).toEqual({ jwtSecret: first.jwtSecret, memberCodeSecret: first.memberCodeSecret });
    expect(first.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.jwtSecret).not.toBe(first.memberCodeSecret);
    const again = loadConfig(env);
    expect([again.jwtSecret, again.memberCodeSecret]).toEqual([first.jwtSecret, first.memberCodeSecret]);
    const other = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'other.sqlite')}` } as NodeJS.ProcessEnv);
    expect(other.jwtSecret).not.toBe(first.jwtSecret);
    // A secret given in the environment wins and nothing is kept for it.
    const given = randomBytes(32).toString('hex');
    const both = loadConfig({ ...env, JWT_SECRET: given, MEMBER_CODE_SECRET: randomBytes(32).toString('hex') } as NodeJS.ProcessEnv);
    expect([both.jwtSecret, both.secretsFile]).toEqual([given, null]);
  });

  test('an in-memory database gets fresh secrets per start and no file', () => {
    const a = loadConfig({ DATABASE_URL: 'sqlite::memory:' } as NodeJS.ProcessEnv);
    const b = loadConfig({ DATABASE_URL: 'sqlite::memory:' } as NodeJS.ProcessEnv);
    expect(a.secretsFile).toBeNull();
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
  });

  test('weak secrets are recognised; openssl-style random ones pass', () => {
    expect(weakSecretReason(OLD_CONSTANT)).toMatch(/published/);
    expect(weakSecretReason('a'.repeat(32))).toMatch(/entropy/);
    expect(weakSecretReason('ab'.repeat(20))).toMatch(/entropy/);
    expect(weakSecretReason('short-secret-123')).toMatch(/32 bytes/);
    for (let i = 0; i < 50; i++) expect(weakSecretReason(randomBytes(32).toString('hex'))).toBeNull();
    expect(weakSecretReason(randomBytes(32).toString('base64'))).toBeNull();
  });
});

describe('where the server listens', () => {
  test('outside production 127.0.0.1 unless HOST is set, and the start line says so; production: every interface', async () => {
    const dev = loadConfig({ DATABASE_URL: 'sqlite::memory:' } as NodeJS.ProcessEnv);
    expect(dev.host).toBe('127.0.0.1');
    expect(listeningLine(dev, false)).toBe(`Listening on 127.0.0.1:${dev.port} only (this machine); set HOST=0.0.0.0 to accept other machines`);
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:', HOST: '0.0.0.0' } as NodeJS.ProcessEnv).host).toBe('0.0.0.0');
    const prod = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'sqlite::memory:',
      JWT_SECRET: randomBytes(32).toString('hex'),
      MEMBER_CODE_SECRET: randomBytes(32).toString('hex'),
      WECHAT_APPID: 'wx1',
      WECHAT_SECRET: 's',
    } as NodeJS.ProcessEnv);
    expect(prod.host).toBeNull();

    // The real server on the development default: reachable on loopback, refused on this machine's other address.
    const server = createHttpServer((_req, res) => res.end('ok'));
    expect([server.headersTimeout, server.requestTimeout]).toEqual([SERVER_TIMEOUTS.headersTimeoutMs, SERVER_TIMEOUTS.requestTimeoutMs]);
    await listen(server, { host: dev.host, port: 0 });
    try {
      const port = (server.address() as net.AddressInfo).port;
      expect((server.address() as net.AddressInfo).address).toBe('127.0.0.1');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
      const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        const refused = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, external.address);
          s.on('connect', () => (s.destroy(), resolve(false)));
          s.on('error', () => resolve(true));
        });
        expect(refused).toBe(true);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// A server still running when the file ends is killed with its process group (tsx and its node child).
const children = new Set<ChildProcess>();
afterAll(() => {
  killGroups(children);
});

function startProduction(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  let out = '';
  const child = spawn(TSX, ['server/src/main.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '1',
      DATABASE_URL: 'sqlite::memory:',
      JWT_SECRET: randomBytes(32).toString('hex'),
      MEMBER_CODE_SECRET: randomBytes(32).toString('hex'),
      WECHAT_APPID: 'wx-test',
      WECHAT_SECRET: 'secret',
      LOG_LEVEL: 'warn',
      EXPIRY_INTERVAL_MINUTES: '0',
      ...env,
    },
  });
  children.add(child);
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, out })));
}

describe('NODE_ENV=production refuses to start (exit 2, naming the variable)', () => {
  // Each spawn costs seconds on a loaded machine: three through the real process, the rest through the same
  // loadConfig the process calls (its ConfigError is what main.ts turns into exit 2).
  test.each([
    ['WECHAT_MODE=dev', { WECHAT_MODE: 'dev' }, 'WECHAT_MODE'],
    ['the old constant JWT_SECRET', { JWT_SECRET: OLD_CONSTANT }, 'JWT_SECRET'],
    ["'a' x 32 as MEMBER_CODE_SECRET", { MEMBER_CODE_SECRET: 'a'.repeat(32) }, 'MEMBER_CODE_SECRET'],
  ])('%s (the server process)', async (_what, env, variable) => {
    const { code, out } = await startProduction(env);
    expect({ code, out }).toEqual({ code: 2, out: expect.stringContaining(variable) });
  });

  test.each([
    ['the old constant MEMBER_CODE_SECRET', { MEMBER_CODE_SECRET: `${OLD_CONSTANT}-code` }, /MEMBER_CODE_SECRET is a published/],
    ['a JWT_SECRET under 32 bytes', { JWT_SECRET: 'k3Y!9x' }, /JWT_SECRET/],
    ["'a' x 32 as JWT_SECRET", { JWT_SECRET: 'a'.repeat(32) }, /JWT_SECRET has too little entropy/],
    ['no JWT_SECRET', { JWT_SECRET: undefined }, /JWT_SECRET is required/],
  ])('%s (the config)', (_what, env, message) => {
    const good = { NODE_ENV: 'production', DATABASE_URL: 'sqlite::memory:', JWT_SECRET: randomBytes(32).toString('hex'), MEMBER_CODE_SECRET: randomBytes(32).toString('hex'), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' };
    expect(() => loadConfig({ ...good, ...env } as NodeJS.ProcessEnv)).toThrow(message);
  });
});
