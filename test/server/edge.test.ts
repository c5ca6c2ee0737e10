import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createHttpServer, SERVER_TIMEOUTS } from '../../server/src/listen';
import { API_CSP, H5_CSP } from '../../server/src/http/middleware/security-headers';
import { addStoresAndStaff, DB_KIND, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** Issue 8 item 7: the edge. Headers, timeouts, 503 when the database cannot answer, logs, clean staff text. */

/** A pino destination that keeps every line. */
function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk;
      cb();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('security headers', () => {
  test('the API: nosniff, no framing, no referrer, a policy that allows nothing; no HSTS without TRUST_PROXY', async () => {
    const t = await startTestApp();
    try {
      for (const p of ['/api/v1/health', '/api/v1/nope', '/']) {
        const res = await t.request('GET', p);
        expect({ p, nosniff: res.headers.get('x-content-type-options'), frame: res.headers.get('x-frame-options'), referrer: res.headers.get('referrer-policy') }).toEqual({ p, nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer' });
        expect(res.headers.get('content-security-policy')).toBe(p === '/' ? H5_CSP : API_CSP);
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
      expect((await t.request('GET', '/api/docs')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    } finally {
      await t.close();
    }
  });

  test('HSTS when TRUST_PROXY=1 (TLS ends at the proxy)', async () => {
    const t = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      expect((await t.request('GET', '/api/v1/health')).headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await t.close();
    }
  });
});

describe('server timeouts', () => {
  test('defaults bound headers to 20 s and a request to 60 s; a client that never finishes its headers is cut off', async () => {
    expect(SERVER_TIMEOUTS).toMatchObject({ headersTimeoutMs: 20_000, requestTimeoutMs: 60_000 });
    const server = createHttpServer((_req, res) => res.end('ok'), { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200, checkEveryMs: 100 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const started = Date.now();
      const answer = await new Promise<string>((resolve) => {
        let got = '';
        const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '));
        s.on('data', (d) => (got += d));
        s.on('close', () => resolve(got));
        s.on('error', () => resolve(got));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

(DB_KIND === 'sqlite' ? describe : describe.skip)('SQLite locked by another process past the busy timeout', () => {
  test('503 SERVICE_UNAVAILABLE with Retry-After, nothing written; once the lock is gone the same request succeeds', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-503-'));
    const file = path.join(dir, 'jifen.sqlite');
    const t = await startTestApp({ db: { url: () => `sqlite:${file}`, busyTimeoutMs: 200 } });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const other = new Database(file);
    try {
      const m = await loginMember(t, 'locked');
      other.exec('BEGIN IMMEDIATE');
      const res = await t.request('POST', '/api/v1/me/checkins', { token: m.token });
      expect({ status: res.status, code: res.body.error?.code, retryAfter: res.headers.get('retry-after') }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5' });
      other.exec('ROLLBACK');
      expect((await t.request('POST', '/api/v1/me/checkins', { token: m.token })).status).toBe(201);
      expect(await t.verify()).toEqual([]);
    } finally {
      other.close();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

(DB_KIND === 'mysql' ? describe : describe.skip)('MySQL down or its pool exhausted', () => {
  test('the database goes away (a proxy in between stops): 503 with Retry-After; back again: 200', async () => {
    const target = new URL(process.env.TEST_MYSQL_URL!);
    const sockets = new Set<net.Socket>();
    let up = true;
    const proxy = net.createServer((client) => {
      if (!up) return client.destroy();
      const db = net.connect(Number(target.port || 3306), target.hostname);
      sockets.add(client).add(db);
      client.pipe(db).pipe(client);
      const drop = () => (client.destroy(), db.destroy());
      client.on('error', drop).on('close', drop);
      db.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const viaProxy = (name: string) => {
      const u = new URL(process.env.TEST_MYSQL_URL!);
      u.hostname = '127.0.0.1';
      u.port = String((proxy.address() as net.AddressInfo).port);
      u.pathname = `/${name}`;
      return u.toString();
    };
    const t = await startTestApp({ db: { url: viaProxy, poolSize: 2 } });
    try {
      const m = await loginMember(t, 'outage');
      expect((await t.request('GET', '/api/v1/me', { token: m.token })).status).toBe(200);
      up = false;
      for (const s of sockets) s.destroy();
      for (let i = 0; i < 3; i++) {
        const res = await t.request('GET', '/api/v1/me', { token: m.token });
        expect({ status: res.status, code: res.body.error?.code, retryAfter: res.headers.get('retry-after') }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5' });
      }
      up = true;
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await t.request('GET', '/api/v1/me', { token: m.token })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      up = true;
      await t.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  }, 60_000);

  test('a pool that is exhausted (queue full) answers 503 at once instead of queueing without end', async () => {
    const t = await startTestApp({ db: { poolSize: 1 } });
    try {
      const m = await loginMember(t, 'pool');
      const holder = t.ds.createQueryRunner();
      await holder.connect(); // the pool's only connection, held
      let results: { status: number; body: any; headers: Headers }[];
      try {
        const pending = Array.from({ length: 40 }, () => t.request('GET', '/api/v1/me', { token: m.token }));
        // 25 may wait for the connection; the rest are refused at once, before it is released.
        const early = await Promise.race([Promise.all(pending.map((p) => p.then((r) => r.status))), new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
        expect(early).toBeNull(); // the queued ones are still waiting
        await holder.release();
        results = await Promise.all(pending);
      } finally {
        if (!holder.isReleased) await holder.release();
      }
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(10);
      expect(statuses.filter((s) => s !== 503 && s !== 200)).toEqual([]);
      expect(results.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('5');
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('logs', () => {
  test('an aborted upload logs one JSON line (warn), no stack trace on stderr', async () => {
    const out = capture();
    const t = await startTestApp({ log: { level: 'info', stream: out.stream } });
    const stderr = jest.spyOn(console, 'error');
    try {
      await addStoresAndStaff(t);
      const admin = await staffToken(t, 'admin');
      const port = new URL(t.baseUrl).port;
      await new Promise<void>((resolve) => {
        const s = net.connect(Number(port), '127.0.0.1', () => {
          s.write(`POST /api/v1/admin/adjustments/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n`);
          s.write('member,points,reason\n13800138000,10,补发\n');
          setTimeout(() => (s.destroy(), resolve()), 300);
        });
      });
      await new Promise((r) => setTimeout(r, 500));
      const lines = out.lines();
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      const aborted = lines.map((l) => JSON.parse(l)).filter((l) => /abort/.test(l.msg));
      expect(aborted).toEqual([expect.objectContaining({ level: 40, event: 'request_aborted', path: '/api/v1/admin/adjustments/imports' })]);
      expect(lines.join('\n')).not.toContain('"stack"');
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      await t.close();
    }
  });

  test('SQL parameters are not in the log at info level (a failing query searched for a phone number); at debug they are', async () => {
    for (const level of ['info', 'debug']) {
      const out = capture();
      const t = await startTestApp({ log: { level, stream: out.stream } });
      try {
        await addStoresAndStaff(t);
        const admin = await staffToken(t, 'admin');
        await t.ds.query('ALTER TABLE member RENAME TO member_gone'); // every member query now fails: a bug, answered 500
        const res = await t.request('GET', '/api/v1/admin/members?q=13912345678', { token: admin });
        expect(res.status).toBe(500);
        const errors = out.lines().map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
        expect(errors.length).toBeGreaterThan(0);
        const text = JSON.stringify(errors);
        if (level === 'info') expect(text).not.toContain('13912345678');
        else expect(text).toContain('13912345678');
      } finally {
        await t.close();
      }
    }
  });
});

describe('staff text', () => {
  test('campaign names, adjustment reasons and decision notes lose control and bidi-override characters', async () => {
    const t = await startTestApp();
    try {
      await addStoresAndStaff(t);
      const marketing = await staffToken(t, 'marketing');
      const service = await staffToken(t, 'service');
      const c = await t.request('POST', '/api/v1/admin/campaigns', {
        token: marketing,
        body: { name: '周六\u202E分积倍双\u0007', multiplier: 2, startsAt: '2026-06-20T10:00', endsAt: '2026-06-20T22:00', tiers: [], storeIds: [], channels: ['purchase'], stacksWithTier: true, budgetPoints: 1000 },
      });
      expect({ status: c.status, body: c.status === 201 ? null : c.body }).toEqual({ status: 201, body: null });
      expect(c.body.name).toBe('周六分积倍双');
      const m = await loginMember(t, 'clean-text');
      const adj = await t.request('POST', `/api/v1/admin/members/${m.id}/adjustments`, { token: service, body: { points: 5, reason: '补发\u202Etxt.exe\u0000' }, headers: { 'Idempotency-Key': 'clean-text-1' } });
      expect(adj.status).toBe(201);
      const ledger = await t.request('GET', '/api/v1/me/ledger', { token: m.token });
      expect(ledger.body.entries[0].reason).toBe('补发txt.exe');
      const onlyControls = await t.request('POST', `/api/v1/admin/members/${m.id}/adjustments`, { token: service, body: { points: 5, reason: '\u202E\u0007\u200B' }, headers: { 'Idempotency-Key': 'clean-text-2' } });
      expect(onlyControls.status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
