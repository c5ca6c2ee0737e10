import { loginMember, snapshotCounts, startClerkApp, type TestApp } from './helpers';

/** Issue 8.4: a retried purchase is answered from (store, orderNo), whatever the age of the member code it carries. */
describe('till: a retried purchase is answered whatever the code’s age', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  const post = (body: object) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body });

  test('the same request 95 s later gets the stored first result (200) and writes no second entry', async () => {
    const alice = await loginMember(t, 'alice');
    const memberCode = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
    const first = await post({ memberCode, orderNo: 'R-1', amountFen: 12800 });
    expect(first.status).toBe(201);
    const before = await snapshotCounts(t);
    t.clock.advance(95_000); // the code is now three 30 s steps old: stale for a new purchase
    const retry = await post({ memberCode, orderNo: 'R-1', amountFen: 12800 });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await snapshotCounts(t)).toEqual(before);
    // Two hours later (within the clerk's session) still the same answer; the stale code buys nothing new.
    t.clock.advance(2 * 3_600_000);
    expect((await post({ memberCode, orderNo: 'R-1', amountFen: 12800 })).body).toEqual(first.body);
    const fresh = await post({ memberCode, orderNo: 'R-2', amountFen: 100 });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.code).toBe('CODE_INVALID');
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await t.verify()).toEqual([]);
  });

  test('a stale retry with another amount, or another member’s code, is 409 ORDER_CONFLICT; a stale unknown code is CODE_INVALID', async () => {
    const alice = await loginMember(t, 'alice');
    const bob = await loginMember(t, 'bob');
    const memberCode = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
    expect((await post({ memberCode, orderNo: 'R-3', amountFen: 5000 })).status).toBe(201);
    const bobStale = (await t.request('GET', '/api/v1/me/code', { token: bob.token })).body.code;
    t.clock.advance(95_000);
    const before = await snapshotCounts(t);
    const otherAmount = await post({ memberCode, orderNo: 'R-3', amountFen: 5001 });
    expect([otherAmount.status, otherAmount.body.error.code]).toEqual([409, 'ORDER_CONFLICT']);
    const bobFresh = (await t.request('GET', '/api/v1/me/code', { token: bob.token })).body.code;
    const otherMember = await post({ memberCode: bobFresh, orderNo: 'R-3', amountFen: 5000 });
    expect([otherMember.status, otherMember.body.error.code]).toEqual([409, 'ORDER_CONFLICT']);
    const unknownStale = await post({ memberCode: bobStale, orderNo: 'R-3', amountFen: 5000 });
    expect([unknownStale.status, unknownStale.body.error.code]).toEqual([400, 'CODE_INVALID']);
    // Alice re-scanned with a fresh code: the same first result.
    const aliceFresh = (await t.request('GET', '/api/v1/me/code', { token: alice.token })).body.code;
    const rescan = await post({ memberCode: aliceFresh, orderNo: 'R-3', amountFen: 5000 });
    expect(rescan.status).toBe(200);
    expect(rescan.body.pointsAwarded).toBe(50);
    expect(await snapshotCounts(t)).toEqual(before);
  });
});
