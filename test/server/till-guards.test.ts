import { addStoresAndStaff, loginMember, nextMemberCode, snapshotCounts, staffToken, startClerkApp, startTestApp, type TestApp } from './helpers';

/** Issue 8.9: an amount above the configured threshold (¥5,000 by default) needs confirmLargeAmount: true. */
describe('till guards: large amounts need an explicit confirmation', () => {
  let t: TestApp;
  let clerk: string;
  beforeEach(async () => ({ t, clerk } = await startClerkApp()));
  afterEach(() => t.close());

  const post = (body: object) => t.request('POST', '/api/v1/till/purchases', { token: clerk, body });

  test('¥5,000.01 without confirmation is 409 LARGE_AMOUNT_CONFIRM and writes nothing (the code stays usable); with it, 201', async () => {
    expect(t.config.rules.till.largeAmountConfirmFen).toBe(500_000);
    const alice = await loginMember(t, 'alice');
    const memberCode = await nextMemberCode(t, alice);
    const before = await snapshotCounts(t);
    const refused = await post({ memberCode, orderNo: 'BIG-1', amountFen: 500_001 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'LARGE_AMOUNT_CONFIRM', details: { amountFen: 500_001, thresholdFen: 500_000 } });
    const notTrue = await post({ memberCode, orderNo: 'BIG-1', amountFen: 500_001, confirmLargeAmount: false });
    expect(notTrue.body.error.code).toBe('LARGE_AMOUNT_CONFIRM');
    expect(await snapshotCounts(t)).toEqual(before);
    const ok = await post({ memberCode, orderNo: 'BIG-1', amountFen: 500_001, confirmLargeAmount: true });
    expect(ok.status).toBe(201);
    expect(ok.body.pointsAwarded).toBe(5000);
    // Exactly the threshold needs no confirmation.
    expect((await post({ memberCode: await nextMemberCode(t, alice), orderNo: 'EDGE-1', amountFen: 500_000 })).status).toBe(201);
    expect(await t.verify()).toEqual([]);
  });

  test('the threshold comes from config (rules.till.largeAmountConfirmFen)', async () => {
    await t.close();
    t = await startTestApp({ rules: (r) => ({ ...r, till: { ...r.till, largeAmountConfirmFen: 10_000 } }) });
    await addStoresAndStaff(t);
    clerk = await staffToken(t, 'clerk-a');
    const bob = await loginMember(t, 'bob');
    expect((await post({ memberCode: await nextMemberCode(t, bob), orderNo: 'C-1', amountFen: 10_001 })).body.error.code).toBe('LARGE_AMOUNT_CONFIRM');
    expect((await post({ memberCode: await nextMemberCode(t, bob), orderNo: 'C-2', amountFen: 10_000 })).status).toBe(201);
  });
});
