import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../server/src/config';
import { manualClock } from '../../server/src/clock';
import { openDatabase } from '../../server/src/db/data-source';
import { createServices } from '../../server/src/services';
import { OutboxDeliveryService } from '../../server/src/services/outbox-delivery.service';
import { DevSubscribeSender, RealSubscribeSender } from '../../server/src/adapters/wechat-subscribe.adapter';
import { RealWechatAdapter } from '../../server/src/adapters/wechat.adapter';
import { notify } from '../../server/src/services/outbox';
import { DB_KIND, addStoresAndStaff, loginMember, postPurchase, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Issue 11.5, notices that arrive: the outbox delivered as WeChat subscribe messages. Dev mode writes a log
 * file (read here); real mode is tried against a local HTTP stand-in of the WeChat API (token, send). Consents
 * are reported over HTTP and spent one per message; transient failures retry with backoff; a process killed
 * between sending and recording loses nothing and sends nothing twice.
 */
jest.setTimeout(120_000);

const POINTS_TEMPLATE = 'jifen-points-change';
const EXPIRY_TEMPLATE = 'jifen-points-expiry';

function logLines(file: string): any[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function consent(t: TestApp, token: string, results: Record<string, string>, key: string) {
  return t.request('POST', '/api/v1/me/subscriptions', { token, body: { results }, headers: { 'Idempotency-Key': key } });
}

async function wxStates(t: { ds: { query: (sql: string, p?: unknown[]) => Promise<any[]> } }, memberId: number): Promise<string[]> {
  return (await t.ds.query('SELECT wx_state FROM notification WHERE member_id = ? ORDER BY id', [memberId])).map((r: any) => r.wx_state);
}

describe('notice outbox: in-app and dev-mode WeChat delivery', () => {
  let t: TestApp;
  let log: string;
  let outbox: OutboxDeliveryService;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    log = path.join(mkdtempSync(path.join(os.tmpdir(), 'jifen-wx-')), 'messages.log');
    outbox = new OutboxDeliveryService(t.services.tx, new DevSubscribeSender(log, () => t.clock().getTime()), t.config.rules, t.clock);
  });
  afterEach(async () => {
    await t.close();
  });

  test('consents are reported after a tap and spent one per message; no consent, no message; unknown kinds stay in-app', async () => {
    await addStoresAndStaff(t);
    const a = await loginMember(t, 'wx-alice');
    const clerk = await staffToken(t, 'clerk-a');
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: a.token })).body.templates.map((x: any) => [x.key, x.remaining])).toEqual([
      ['points', 0],
      ['expiry', 0],
      ['tier', 0],
      ['service', 0],
    ]);
    // wx.requestSubscribeMessage answered: accept the points template, reject expiry; a made-up id is ignored.
    const rep = await consent(t, a.token, { [POINTS_TEMPLATE]: 'accept', [EXPIRY_TEMPLATE]: 'reject', 'not-ours': 'accept' }, 'consent-0001');
    expect(rep.status).toBe(200);
    expect(rep.body.templates.find((x: any) => x.key === 'points').remaining).toBe(1);
    expect((await consent(t, a.token, { [POINTS_TEMPLATE]: 'accept' }, 'consent-0001')).status).toBe(409); // same key, other body
    expect((await consent(t, a.token, { [POINTS_TEMPLATE]: 'accept', [EXPIRY_TEMPLATE]: 'reject', 'not-ours': 'accept' }, 'consent-0001')).headers.get('idempotent-replayed')).toBe('true');
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: a.token })).body.templates[0].remaining).toBe(1); // the replay counted nothing

    await postPurchase(t, clerk, a, 'W-1', 12800); // PURCHASE notice (points template)
    await postPurchase(t, clerk, a, 'W-2', 5000); // a second one: no consent left for it
    await t.services.tx.run((m) => notify(m, { memberId: a.id, kind: 'DONATED', title: 't', body: 'b' }, t.clock().getTime()));
    await t.ds.query("UPDATE notification SET kind = 'SOMETHING_NEW' WHERE id = (SELECT MAX(id) FROM (SELECT id FROM notification) x)");
    const r = await outbox.deliver();
    expect(r).toMatchObject({ claimed: 3, sent: 1, noConsent: 1, skipped: 1 });
    const lines = logLines(log);
    expect(lines).toHaveLength(1);
    const member = (await t.ds.query('SELECT openid FROM member WHERE id = ?', [a.id]))[0];
    expect(lines[0]).toMatchObject({ key: expect.stringMatching(/^notice:\d+$/), touser: member.openid, template_id: POINTS_TEMPLATE, page: 'pages/profile/index' });
    expect(lines[0].data.thing1.value).toBe('消费积分到账');
    expect([...lines[0].data.thing2.value].length).toBeLessThanOrEqual(20);
    expect(lines[0].data.time3.value).toBe('2026-06-15 12:00');
    expect(await wxStates(t, a.id)).toEqual(['sent', 'no_consent', 'skipped']);
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: a.token })).body.templates[0].remaining).toBe(0);
    expect(await outbox.deliver()).toMatchObject({ claimed: 0 }); // nothing twice
    expect(logLines(log)).toHaveLength(1);
  });

  test('the in-app list pages over every notice, read is marked by id, and the unread count is exact (was 13 vs 5 listed)', async () => {
    const a = await loginMember(t, 'many-notices');
    for (let i = 0; i < 13; i++) await t.services.tx.run((m) => notify(m, { memberId: a.id, kind: 'EARNED', title: `通知 ${i}`, body: `第 ${i} 条` }, t.clock().getTime()));
    const page1 = await t.request('GET', '/api/v1/me/notifications?limit=5', { token: a.token });
    expect(page1.body.unread).toBe(13);
    expect(page1.body.notifications).toHaveLength(5);
    // Opening 我的 shows five and marks those five: not all thirteen.
    const read = await t.request('POST', '/api/v1/me/notifications/read', { token: a.token, body: { ids: page1.body.notifications.map((n: any) => n.id) } });
    expect(read.body).toEqual({ unread: 8, marked: 5 });
    const page2 = await t.request('GET', `/api/v1/me/notifications?limit=5&cursor=${page1.body.nextCursor}`, { token: a.token });
    expect(page2.body.notifications.map((n: any) => n.read)).toEqual([false, false, false, false, false]);
    expect(page2.body.unread).toBe(8);
    let cursor = page2.body.nextCursor;
    let seen = 10;
    while (cursor) {
      const p = await t.request('GET', `/api/v1/me/notifications?limit=5&cursor=${cursor}`, { token: a.token });
      seen += p.body.notifications.length;
      cursor = p.body.nextCursor;
    }
    expect(seen).toBe(13); // every unread notice can be reached
    expect((await t.request('POST', '/api/v1/me/notifications/read', { token: a.token, body: { all: true } })).body).toEqual({ unread: 0, marked: 8 });
  });
});

/** A local stand-in for api.weixin.qq.com: the token endpoint and subscribeMessage.send, with scripted answers. */
function wechatStandIn() {
  const calls: { path: string; query: URLSearchParams; body: any }[] = [];
  const script: number[] = []; // errcodes for the next sends (0 when empty)
  let tokenN = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : null;
      calls.push({ path: url.pathname, query: url.searchParams, body });
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/token') {
        tokenN += 1;
        res.end(JSON.stringify({ access_token: `TOKEN-${tokenN}`, expires_in: 7200 }));
        return;
      }
      if (url.pathname === '/cgi-bin/message/subscribe/send') {
        const code = script.shift() ?? 0;
        res.end(JSON.stringify({ errcode: code, errmsg: code === 0 ? 'ok' : `scripted ${code}` }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return { server, calls, script, sends: () => calls.filter((c) => c.path === '/cgi-bin/message/subscribe/send'), tokens: () => calls.filter((c) => c.path === '/cgi-bin/token') };
}

describe('notice outbox: real mode against a local WeChat stand-in', () => {
  let t: TestApp;
  let wx: ReturnType<typeof wechatStandIn>;
  let outbox: OutboxDeliveryService;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    wx = wechatStandIn();
    await new Promise<void>((r) => wx.server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(wx.server.address() as AddressInfo).port}`;
    const adapter = new RealWechatAdapter('wx-app', 'wx-secret', base, 2000, () => t.clock().getTime());
    outbox = new OutboxDeliveryService(t.services.tx, new RealSubscribeSender(adapter, base), t.config.rules, t.clock);
  });
  afterEach(async () => {
    await new Promise((r) => wx.server.close(r));
    await t.close();
  });

  async function memberWithNotices(name: string, n: number, consents: number) {
    const a = await loginMember(t, name);
    for (let i = 0; i < consents; i++) expect((await consent(t, a.token, { [EXPIRY_TEMPLATE]: 'accept' }, `${name}-consent-${i}`)).status).toBe(200);
    for (let i = 0; i < n; i++) await t.services.tx.run((m) => notify(m, { memberId: a.id, kind: 'EXPIRY_REMINDER', title: '积分即将过期', body: `${320 + i} 分将于 12月31日 过期,请尽快使用。` }, t.clock().getTime()));
    return a;
  }

  test('gets and caches the access token, posts subscribeMessage.send in WeChat’s shape, refreshes a rejected token once', async () => {
    const a = await memberWithNotices('real-a', 3, 3);
    wx.script.push(0, 40001, 0); // the second send finds the token expired
    expect(await outbox.deliver()).toMatchObject({ sent: 3 });
    expect(wx.tokens()).toHaveLength(2); // cached for the first, fetched again after 40001
    expect(wx.tokens()[0]!.query.get('grant_type')).toBe('client_credential');
    const sends = wx.sends();
    expect(sends).toHaveLength(4);
    expect(sends.map((s) => s.query.get('access_token'))).toEqual(['TOKEN-1', 'TOKEN-1', 'TOKEN-2', 'TOKEN-2']);
    const openid = (await t.ds.query('SELECT openid FROM member WHERE id = ?', [a.id]))[0].openid;
    expect(sends[0]!.body).toEqual({
      touser: openid,
      template_id: EXPIRY_TEMPLATE,
      page: 'pages/profile/index',
      miniprogram_state: 'formal',
      lang: 'zh_CN',
      data: { thing1: { value: '积分即将过期' }, thing2: { value: expect.stringMatching(/^320 分将于 12月31日 过期/) }, time3: { value: '2026-06-15 12:00' } },
    });
    expect([...sends[0]!.body.data.thing2.value].length).toBeLessThanOrEqual(20); // thing values: at most 20 characters
    expect(await wxStates(t, a.id)).toEqual(['sent', 'sent', 'sent']);
  });

  test('transient failures retry with backoff and keep the consent; a refusal (43101) is final and zeroes the count', async () => {
    const a = await memberWithNotices('real-b', 1, 1);
    wx.script.push(-1); // system busy
    expect(await outbox.deliver()).toMatchObject({ retrying: 1, sent: 0 });
    const row = (await t.ds.query('SELECT wx_state, wx_attempts, wx_next_at, wx_error FROM notification WHERE member_id = ?', [a.id]))[0];
    expect(row).toMatchObject({ wx_state: 'pending', wx_error: '-1 scripted -1' });
    expect(Number(row.wx_attempts)).toBe(1);
    expect(Number(row.wx_next_at)).toBe(t.clock().getTime() + 30_000);
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: a.token })).body.templates[1].remaining).toBe(1); // given back
    expect(await outbox.deliver()).toMatchObject({ claimed: 0 }); // not before the backoff
    t.clock.advance(30_000);
    wx.script.push(-1);
    expect(await outbox.deliver()).toMatchObject({ retrying: 1 });
    expect(Number((await t.ds.query('SELECT wx_next_at FROM notification WHERE member_id = ?', [a.id]))[0].wx_next_at)).toBe(t.clock().getTime() + 60_000); // doubled
    t.clock.advance(60_000);
    expect(await outbox.deliver()).toMatchObject({ sent: 1 });
    expect(wx.sends()).toHaveLength(3);
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: a.token })).body.templates[1].remaining).toBe(0);

    const b = await memberWithNotices('real-c', 1, 2);
    wx.script.push(43101);
    expect(await outbox.deliver()).toMatchObject({ failed: 1 });
    expect(await wxStates(t, b.id)).toEqual(['failed']);
    expect((await t.request('GET', '/api/v1/me/subscriptions', { token: b.token })).body.templates[1].remaining).toBe(0);
  });

  test('a send interrupted before its result was recorded is not sent again by a non-idempotent sender (uncertain, still in-app)', async () => {
    const a = await memberWithNotices('real-d', 2, 2);
    outbox.afterSend = () => {
      throw new Error('process died here');
    };
    await expect(outbox.deliver()).rejects.toThrow('process died here');
    outbox.afterSend = null;
    expect(wx.sends()).toHaveLength(1);
    expect(await wxStates(t, a.id)).toEqual(['sending', 'claimed']);
    expect(await outbox.deliver()).toMatchObject({ claimed: 0 }); // the dead worker's claim still holds
    t.clock.advance(OutboxDeliveryService.LEASE_MS);
    expect(await outbox.deliver()).toMatchObject({ uncertain: 1, sent: 1 });
    expect(wx.sends()).toHaveLength(2); // one each, never twice
    expect(await wxStates(t, a.id)).toEqual(['uncertain', 'sent']);
    expect((await t.request('GET', '/api/v1/me/notifications', { token: a.token })).body.unread).toBe(2);
  });
});

describe('notice outbox: a process killed between sending and recording (dev sender, idempotent key)', () => {
  test('no event is lost and none is sent twice', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-outbox-crash-'));
    const log = path.join(dir, 'messages.log');
    let url: string;
    let dbName: string | null = null;
    if (DB_KIND === 'mysql') {
      dbName = `jifen_t_crash_${process.pid}_${Date.now() % 100000}`;
      const u = new URL(process.env.TEST_MYSQL_URL!);
      u.pathname = `/${dbName}`;
      url = u.toString();
    } else {
      url = `sqlite:${path.join(dir, 'outbox.sqlite')}`;
    }
    const NOW = '2026-06-15T04:00:00.000Z';
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent', WECHAT_MODE: 'dev' } as NodeJS.ProcessEnv);
    const ds = await openDatabase(url);
    try {
      const clock = manualClock(NOW);
      const services = createServices(ds, config, clock, undefined, new DevSubscribeSender(log, () => clock().getTime()));
      const member = await services.members.loginOpenid('dev_crash');
      for (let i = 0; i < 5; i++) await services.subscriptions.report(member.id, { results: { [EXPIRY_TEMPLATE]: 'accept' } }, { scope: `member:${member.id}`, key: `crash-consent-${i}`, hash: `h${i}` });
      for (let i = 0; i < 5; i++) await services.tx.run((m) => notify(m, { memberId: member.id, kind: 'EXPIRY_REMINDER', title: '积分即将过期', body: `通知 ${i}` }, clock().getTime()));

      const run = (env: Record<string, string>) =>
        new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
          const child = spawn(path.resolve(__dirname, '../../node_modules/.bin/tsx'), ['test/server/fixtures/outbox-worker.ts'], {
            cwd: path.resolve(__dirname, '../..'),
            env: { ...process.env, DATABASE_URL: url, WECHAT_MESSAGE_LOG: log, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('close', (code, signal) => resolve({ code, signal, out }));
        });

      // Killed right after the third message went out, before it was recorded.
      const crashed = await run({ NOW, CRASH_AFTER_SENDS: '3' });
      // tsx runs the script in a child node process: its SIGKILL shows as tsx's exit status 137.
      expect(crashed.signal === 'SIGKILL' || crashed.code === 137).toBe(true);
      expect(logLines(log).map((l) => l.key)).toHaveLength(3);
      const states = async () => (await ds.query('SELECT wx_state FROM notification ORDER BY id')).map((r: any) => r.wx_state);
      expect(await states()).toEqual(['sent', 'sent', 'sending', 'claimed', 'claimed']);

      // A new process before the claim expires does nothing; after it, it finishes the work.
      expect(JSON.parse((await run({ NOW })).out)).toMatchObject({ claimed: 0 });
      const later = new Date(new Date(NOW).getTime() + OutboxDeliveryService.LEASE_MS).toISOString();
      const resumed = await run({ NOW: later });
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.out)).toMatchObject({ claimed: 3, sent: 3 });
      const keys = logLines(log).map((l) => l.key);
      const ids = (await ds.query('SELECT id FROM notification ORDER BY id')).map((r: any) => `notice:${r.id}`);
      expect(keys).toEqual(ids); // every notice once, in order: none lost, none doubled
      expect(await states()).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
      // The interrupted message spent one consent, not two.
      expect(Number((await ds.query('SELECT remaining FROM wx_consent'))[0].remaining)).toBe(0);
    } finally {
      await ds.destroy();
      if (dbName) {
        const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL!);
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
    }
  });
});
