import { addStoresAndStaff, loginMember, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

export async function staffToken(t: TestApp, username: string): Promise<string> {
  const res = await t.request('POST', '/api/v1/auth/staff', { body: { username, password: TEST_PASSWORD } });
  if (res.status !== 200) throw new Error(`staff login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

describe('till: purchase, refund, fulfil', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  test('a clerk posts a 128.00 yuan purchase from the member code; pending for 7 days; refund half reverses half', async () => {
    const alice = await loginMember(t, 'alice');
    const clerk = await staffToken(t, 'clerk-a');
    const code = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
    const res = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1001', amountFen: 12800 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pointsAwarded: 128, balance: 128, orderNo: 'A-1001' });
    expect(res.body.breakdown.reduce((s: number, l: any) => s + l.points, 0)).toBe(res.body.pointsAwarded);
    // Retry with the same order: the first result, nothing new.
    const retry = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1001', amountFen: 12800 } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(res.body);
    // The code was used: a new order with it is refused.
    const reuse = await t.request('POST', '/api/v1/till/purchases', { token: clerk, body: { memberCode: code, orderNo: 'A-1002', amountFen: 100 } });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe('CODE_USED');
    const me = await t.request('GET', '/api/v1/me', { token: alice.token });
    expect(me.body).toMatchObject({ balance: 128, available: 0, pending: 128 });
    const refund = await t.request('POST', '/api/v1/till/purchases/A-1001/refunds', { token: clerk, body: { amountFen: 6400 }, headers: { 'Idempotency-Key': 'refund-0001' } });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ pointsReversed: 64, balance: 64 });
    const over = await t.request('POST', '/api/v1/till/purchases/A-1001/refunds', { token: clerk, body: { amountFen: 6401 }, headers: { 'Idempotency-Key': 'refund-0002' } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('REFUND_EXCEEDS_ORDER');
    t.clock.advance(7 * 86_400_000);
    const later = await t.request('GET', '/api/v1/me', { token: (await loginMember(t, 'alice')).token });
    expect(later.body).toMatchObject({ balance: 64, available: 64, pending: 0 });
    expect(await t.verify()).toEqual([]);
  });
});
