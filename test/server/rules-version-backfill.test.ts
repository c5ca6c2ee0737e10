import { grantPoints, loginMember, startTestApp, type TestApp } from './helpers';

/**
 * A ledger upgraded from before rules were versioned: its entries get the base version at boot, a range of ids per
 * short transaction, and requests are served meanwhile (one UPDATE of every entry inside the first request's
 * transaction held that request for over 30 s at 2.25M entries).
 */
describe('rules version backfill of entries booked before versions existed', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const unversioned = async () => Number((await t.ds.query('SELECT COUNT(*) AS n FROM ledger_entry WHERE rules_version IS NULL'))[0].n);

  test('entries without a version get the first one, in ranges; a second run finds nothing; requests are served before it', async () => {
    const a = await loginMember(t, 'backfill-a');
    const b = await loginMember(t, 'backfill-b');
    for (const id of [a.id, b.id, a.id, b.id, a.id]) await grantPoints(t, id, 10);
    const total = Number((await t.ds.query('SELECT COUNT(*) AS n FROM ledger_entry'))[0].n);
    expect(total).toBeGreaterThanOrEqual(5);
    // As a ledger from before the rules_version column would be.
    await t.ds.query('UPDATE ledger_entry SET rules_version = NULL');
    expect(await unversioned()).toBe(total);

    // Served before the backfill has run: reads and a new write (which records the version in force).
    const me = await t.request('GET', '/api/v1/me', { token: a.token });
    expect(me.status).toBe(200);
    expect(me.body.balance).toBe(30);
    await grantPoints(t, b.id, 5);
    expect(await unversioned()).toBe(total);

    // Ranges of 2 ids: several short transactions.
    await expect(t.services.ledger.versions.backfillUnversioned(2)).resolves.toBe(total);
    expect(await unversioned()).toBe(0);
    const [first] = await t.ds.query('SELECT MIN(id) AS id FROM rules_version');
    const versions = await t.ds.query('SELECT DISTINCT rules_version AS v FROM ledger_entry');
    expect(versions.map((r: { v: unknown }) => Number(r.v))).toEqual([Number(first.id)]);
    await expect(t.services.ledger.versions.backfillUnversioned(2)).resolves.toBe(0);
    expect(await t.verify()).toEqual([]);
  });
});
