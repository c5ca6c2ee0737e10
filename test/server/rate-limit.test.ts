import { loadConfig } from '../../server/src/config';
import { countRows, startTestApp, type TestApp } from './helpers';

/** Issue 8 item 6: member routes are limited per member and per address; new members per address. */
describe('member rate limits', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({
      env: { TRUST_PROXY: '1', RATE_LIMIT_MEMBER_PER_MINUTE: '5', RATE_LIMIT_ADDRESS_PER_MINUTE: '12', RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: '3' },
    });
  });
  afterEach(() => t.close());

  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const signIn = async (name: string, ip: string) => t.request('POST', '/api/v1/auth/wechat', { body: { code: `dev:${name}` }, headers: from(ip) });

  test('per member: past the limit 429 with Retry-After until the minute ends; other members are not affected', async () => {
    const alice = (await signIn('alice', '198.51.100.1')).body.token as string;
    const bob = (await signIn('bob', '198.51.100.2')).body.token as string;
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/api/v1/me', { token: alice, headers: from('198.51.100.1') })).status).toBe(200);
    t.clock.advance(20_000);
    // A fresh address does not help: the limit follows the member.
    const limited = await t.request('GET', '/api/v1/me', { token: alice, headers: from('203.0.113.9') });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('40');
    expect((await t.request('POST', '/api/v1/me/checkins', { token: alice, headers: from('198.51.100.1') })).status).toBe(429);
    expect(await countRows(t, 'checkin')).toBe(0); // a limited request writes nothing
    expect((await t.request('GET', '/api/v1/me', { token: bob, headers: from('198.51.100.2') })).status).toBe(200);
    t.clock.advance(40_000);
    expect((await t.request('GET', '/api/v1/me', { token: alice, headers: from('198.51.100.1') })).status).toBe(200);
  });

  test('per address: many members behind one address share its budget; another address is not affected', async () => {
    const tokens: string[] = [];
    for (const n of ['m1', 'm2', 'm3']) tokens.push((await signIn(n, '192.0.2.50')).body.token); // 3 of the 12
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await t.request('GET', '/api/v1/me', { token: tokens[i % 3], headers: from('192.0.2.50') })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
    expect((await t.request('GET', '/api/v1/me', { token: tokens[0], headers: from('192.0.2.51') })).status).toBe(200);
    // Sign-ins count against the address too (each asks WeChat).
    expect((await signIn('m1', '192.0.2.50')).status).toBe(429);
  });

  test('new members per address: the 4th new account from one address in an hour is refused, returning members are not', async () => {
    for (const n of ['n1', 'n2', 'n3']) expect((await signIn(n, '203.0.113.5')).status).toBe(200);
    const fourth = await signIn('n4', '203.0.113.5');
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBe(3600);
    expect(await countRows(t, 'member')).toBe(3);
    expect((await signIn('n1', '203.0.113.5')).status).toBe(200);
    expect((await signIn('n4', '203.0.113.6')).status).toBe(200);
    t.clock.advance(3_600_000);
    expect((await signIn('n5', '203.0.113.5')).status).toBe(200);
  });
});

test('the defaults are generous (a member app screen makes a handful of requests) and 0 turns a limit off', () => {
  const d = loadConfig({ DATABASE_URL: 'sqlite::memory:' } as NodeJS.ProcessEnv).rateLimits;
  expect(d).toEqual({ memberPerMinute: 120, addressPerMinute: 600, newMembersPerAddressPerHour: 60 });
  expect(loadConfig({ DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_MEMBER_PER_MINUTE: '0' } as NodeJS.ProcessEnv).rateLimits.memberPerMinute).toBe(0);
  expect(() => loadConfig({ DATABASE_URL: 'sqlite::memory:', RATE_LIMIT_ADDRESS_PER_MINUTE: '-1' } as NodeJS.ProcessEnv)).toThrow('RATE_LIMIT_ADDRESS_PER_MINUTE');
});
