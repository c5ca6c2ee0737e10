import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addStoresAndStaff, loginMember, staffToken, startTestApp, type TestApp } from './helpers';
import { createServices } from '../../server/src/services';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';

/** POST /me/phone (issue 9 item 3): dev mode, then real mode against a local stand-in of WeChat's APIs. */
describe('phone binding, dev mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
  });
  afterAll(() => t.close());

  test('dev:<phone> binds the phone normalised; /me shows it masked; staff search finds the member by it', async () => {
    const alice = await loginMember(t, 'phone-alice');
    const res = await t.request('POST', '/api/v1/me/phone', { token: alice.token, body: { code: 'dev:+86 138-0013-8000' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: '138****8000' });
    const rows = await t.ds.query('SELECT phone FROM member WHERE id = ?', [alice.id]);
    expect(rows[0].phone).toBe('13800138000');
    const me = await t.request('GET', '/api/v1/me', { token: alice.token });
    expect(me.body.member.phone).toBe('138****8000');
    const admin = await staffToken(t, 'admin');
    const found = await t.request('GET', '/api/v1/admin/members?q=13800138000', { token: admin });
    expect(found.body.members.map((m: { id: number }) => m.id)).toEqual([alice.id]);
  });

  test('a phone bound to another member is 409 PHONE_IN_USE; rebinding your own number is fine; bad codes are 400', async () => {
    const bob = await loginMember(t, 'phone-bob');
    const taken = await t.request('POST', '/api/v1/me/phone', { token: bob.token, body: { code: 'dev:13800138000' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('PHONE_IN_USE');
    const ok = await t.request('POST', '/api/v1/me/phone', { token: bob.token, body: { code: 'dev:13900139000' } });
    expect(ok.status).toBe(200);
    const again = await t.request('POST', '/api/v1/me/phone', { token: bob.token, body: { code: 'dev:13900139000' } });
    expect(again.status).toBe(200);
    for (const code of ['dev:12345', 'dev:23800138000', 'not-dev', '']) {
      const bad = await t.request('POST', '/api/v1/me/phone', { token: bob.token, body: { code } });
      expect({ code, status: bad.status }).toEqual({ code, status: 400 });
    }
    const rows = await t.ds.query('SELECT phone FROM member WHERE id = ?', [bob.id]);
    expect(rows[0].phone).toBe('13900139000');
  });

  test('two members binding the same number at once: exactly one gets it', async () => {
    const a = await loginMember(t, 'race-a');
    const b = await loginMember(t, 'race-b');
    const [ra, rb] = await Promise.all([
      t.request('POST', '/api/v1/me/phone', { token: a.token, body: { code: 'dev:13700137000' } }),
      t.request('POST', '/api/v1/me/phone', { token: b.token, body: { code: 'dev:13700137000' } }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const n = await t.ds.query("SELECT COUNT(*) AS n FROM member WHERE phone = '13700137000'");
    expect(Number(n[0].n)).toBe(1);
  });
});

describe('phone binding, real mode (getuserphonenumber with a cached access token)', () => {
  let wx: http.Server;
  let tokenCalls: URL[];
  let phoneCalls: { url: URL; body: unknown }[];
  let issued: number;
  let revoked: Set<string>;
  let t: TestApp;
  let api: http.Server;
  let apiBase: string;

  beforeAll(async () => {
    tokenCalls = [];
    phoneCalls = [];
    issued = 0;
    revoked = new Set();
    wx = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://wx');
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
        tokenCalls.push(url);
        if (url.searchParams.get('grant_type') !== 'client_credential' || url.searchParams.get('appid') !== 'wx-app' || url.searchParams.get('secret') !== 'wx-secret') {
          res.end(JSON.stringify({ errcode: 40013, errmsg: 'invalid appid' }));
          return;
        }
        res.end(JSON.stringify({ access_token: `TOKEN-${++issued}`, expires_in: 7200 }));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/wxa/business/getuserphonenumber') {
        let raw = '';
        req.on('data', (d) => (raw += d));
        req.on('end', () => {
          const body = JSON.parse(raw) as { code?: string };
          phoneCalls.push({ url, body });
          const token = url.searchParams.get('access_token') ?? '';
          if (!/^TOKEN-\d+$/.test(token) || revoked.has(token)) {
            res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }));
          } else if (body.code === 'phone-code-1') {
            res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: '13612345678', purePhoneNumber: '13612345678', countryCode: 86, watermark: { timestamp: 1, appid: 'wx-app' } } }));
          } else if (body.code === 'phone-code-2') {
            res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: '+447946095812', purePhoneNumber: '7946095812', countryCode: '44', watermark: { timestamp: 1, appid: 'wx-app' } } }));
          } else {
            res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
          }
        });
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((r) => wx.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(wx.address() as AddressInfo).port}`;
    t = await startTestApp();
    const config = { ...t.config, wechat: { mode: 'real' as const, appId: 'wx-app', secret: 'wx-secret', apiBase: base } };
    api = http.createServer(createApp(createServices(t.ds, config, t.clock), createLogger('silent')).callback());
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    api.closeAllConnections();
    await new Promise((r) => api.close(r));
    await new Promise((r) => wx.close(r));
    await t.close();
  });

  const bind = async (token: string, code: string) => {
    const res = await fetch(`${apiBase}/api/v1/me/phone`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ code }) });
    return { status: res.status, body: (await res.json()) as any };
  };

  test('the code is exchanged with a client-credential token that is cached across calls', async () => {
    const m1 = await loginMember(t, 'real-phone-1'); // members are made through the test app (dev login)
    const m2 = await loginMember(t, 'real-phone-2');
    const r1 = await bind(m1.token, 'phone-code-1');
    expect(r1).toEqual({ status: 200, body: { phone: '136****5678' } });
    const r2 = await bind(m2.token, 'phone-code-2');
    expect(r2).toEqual({ status: 200, body: { phone: '+4479****5812' } });
    expect(tokenCalls).toHaveLength(1); // one token for both exchanges
    expect(phoneCalls.map((c) => c.url.searchParams.get('access_token'))).toEqual(['TOKEN-1', 'TOKEN-1']);
    expect(phoneCalls.map((c) => c.body)).toEqual([{ code: 'phone-code-1' }, { code: 'phone-code-2' }]);
    const rows = await t.ds.query('SELECT id, phone FROM member WHERE id IN (?, ?) ORDER BY id', [m1.id, m2.id]);
    expect(rows.map((r: { phone: string }) => r.phone)).toEqual(['13612345678', '+447946095812']);
  });

  test('shortly before expiry the token is fetched again; a token WeChat rejects is replaced once', async () => {
    const m = await loginMember(t, 'real-phone-3');
    t.clock.advance(7200_000 - 4 * 60_000); // inside the 5-minute margin
    tokenCalls.length = 0;
    await t.ds.query('UPDATE member SET phone = NULL WHERE phone = ?', ['13612345678']);
    expect((await bind(m.token, 'phone-code-1')).status).toBe(200);
    expect(tokenCalls).toHaveLength(1);
    expect(phoneCalls.at(-1)!.url.searchParams.get('access_token')).toBe('TOKEN-2');
    // WeChat revokes the cached token (e.g. another server fetched a new one): 40001, a new token, one retry.
    revoked.add('TOKEN-2');
    await t.ds.query('UPDATE member SET phone = NULL WHERE id = ?', [m.id]);
    expect((await bind(m.token, 'phone-code-1')).status).toBe(200);
    expect(tokenCalls).toHaveLength(2);
    expect(phoneCalls.slice(-2).map((c) => c.url.searchParams.get('access_token'))).toEqual(['TOKEN-2', 'TOKEN-3']);
  });

  test('a code WeChat refuses is 400 PHONE_CODE_INVALID and binds nothing; dev codes do not work in real mode', async () => {
    const m = await loginMember(t, 'real-phone-4');
    for (const code of ['expired-code', 'dev:13800138000']) {
      const res = await bind(m.token, code);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('PHONE_CODE_INVALID');
    }
    const rows = await t.ds.query('SELECT phone FROM member WHERE id = ?', [m.id]);
    expect(rows[0].phone).toBeNull();
  });

  test('WeChat unreachable is 503 WECHAT_UNAVAILABLE, not a 500', async () => {
    const config = { ...t.config, wechat: { mode: 'real' as const, appId: 'wx-app', secret: 'wx-secret', apiBase: 'http://127.0.0.1:1' } };
    const down = http.createServer(createApp(createServices(t.ds, config, t.clock), createLogger('silent')).callback());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const m = await loginMember(t, 'real-phone-5');
      const res = await fetch(`http://127.0.0.1:${(down.address() as AddressInfo).port}/api/v1/me/phone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${m.token}` },
        body: JSON.stringify({ code: 'phone-code-1' }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      down.closeAllConnections();
      await new Promise((r) => down.close(r));
    }
  });
});
