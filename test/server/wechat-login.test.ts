import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './helpers';
import { createServices } from '../../server/src/services';
import { createApp } from '../../server/src/app';
import { createLogger } from '../../server/src/logger';

/**
 * WECHAT_MODE=real: the server calls code2Session (here a local stand-in for api.weixin.qq.com, the only
 * network this machine has) with AppID and secret; the session_key it gets back never leaves the server.
 */
describe('WeChat login in real mode (code2Session)', () => {
  let wx: http.Server;
  let calls: URL[];
  let base: string;
  let t: TestApp;
  let api: http.Server;
  let apiBase: string;

  beforeAll(async () => {
    calls = [];
    wx = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://wx');
      calls.push(url);
      res.setHeader('content-type', 'application/json');
      const code = url.searchParams.get('js_code');
      if (url.pathname !== '/sns/jscode2session' || url.searchParams.get('appid') !== 'wx-app' || url.searchParams.get('secret') !== 'wx-secret') {
        res.end(JSON.stringify({ errcode: 40013, errmsg: 'invalid appid' }));
      } else if (code === 'good-code') {
        res.end(JSON.stringify({ openid: 'o_real_user_1', session_key: 'SESSION-KEY-MUST-NOT-LEAK', unionid: 'u1' }));
      } else {
        res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
      }
    });
    await new Promise<void>((r) => wx.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(wx.address() as AddressInfo).port}`;
    t = await startTestApp();
    const config = { ...t.config, wechat: { mode: 'real' as const, appId: 'wx-app', secret: 'wx-secret', apiBase: base } };
    const services = createServices(t.ds, config, t.clock);
    api = http.createServer(createApp(services, createLogger('silent')).callback());
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    api.closeAllConnections();
    await new Promise((r) => api.close(r));
    await new Promise((r) => wx.close(r));
    await t.close();
  });

  const login = async (code: string) => {
    const res = await fetch(`${apiBase}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    return { status: res.status, text: await res.text() };
  };

  test('a good code logs the openid in; the session_key is not in the response', async () => {
    const res = await login('good-code');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.token).toEqual(expect.any(String));
    expect(body.member.id).toEqual(expect.any(Number));
    expect(res.text).not.toContain('SESSION-KEY');
    expect(res.text).not.toContain('session_key');
    expect(res.text).not.toContain('o_real_user_1'); // the openid is not echoed either
    const again = JSON.parse((await login('good-code')).text);
    expect(again.member.id).toBe(body.member.id);
    expect(calls.at(-1)!.searchParams.get('grant_type')).toBe('authorization_code');
  });

  test('a code WeChat rejects is 401, dev codes are refused in real mode, and nothing is created', async () => {
    const before = await t.ds.query('SELECT COUNT(*) AS n FROM member');
    for (const code of ['bad-code', 'dev:alice']) {
      const res = await login(code);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).error.code).toBe('UNAUTHENTICATED');
    }
    const after = await t.ds.query('SELECT COUNT(*) AS n FROM member');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  test('WeChat unreachable is 401, not a 500', async () => {
    const config = { ...t.config, wechat: { mode: 'real' as const, appId: 'wx-app', secret: 'wx-secret', apiBase: 'http://127.0.0.1:1' } };
    const down = http.createServer(createApp(createServices(t.ds, config, t.clock), createLogger('silent')).callback());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(down.address() as AddressInfo).port}/api/v1/auth/wechat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'good-code' }),
      });
      expect(res.status).toBe(401);
    } finally {
      down.closeAllConnections();
      await new Promise((r) => down.close(r));
    }
  });
});
