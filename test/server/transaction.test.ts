import { DB_KIND, startTestApp, type TestApp } from './helpers';

/**
 * Isolation set once per pooled connection (issue 14.1): every write transaction on MariaDB runs READ
 * COMMITTED without a SET per transaction, also on a connection a REPEATABLE READ report used before.
 */
const mysqlOnly = DB_KIND === 'mysql' ? test : test.skip;

describe('TxRunner on MariaDB', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  mysqlOnly('write transactions run READ COMMITTED, set once per connection, after a REPEATABLE READ snapshot too', async () => {
    const level = () => t.services.tx.run(async (m) => String(Object.values((await m.query('SELECT @@tx_isolation AS l'))[0] as object)[0]));
    const seen = await Promise.all(Array.from({ length: 12 }, level));
    expect(new Set(seen)).toEqual(new Set(['READ-COMMITTED']));
    // Reports' snapshots ask for REPEATABLE READ for their own transaction only (SET TRANSACTION, not SESSION).
    await Promise.all(Array.from({ length: 12 }, () => t.ds.transaction('REPEATABLE READ', (m) => m.query('SELECT 1'))));
    expect(new Set(await Promise.all(Array.from({ length: 12 }, level)))).toEqual(new Set(['READ-COMMITTED']));
  });

  test('a transaction that throws is rolled back and its connection serves the next one', async () => {
    await expect(
      t.services.tx.run(async (m) => {
        await m.query("INSERT INTO store (code, name) VALUES ('RB', 'rolled back')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(Number((await t.ds.query("SELECT COUNT(*) AS n FROM store WHERE code = 'RB'"))[0].n)).toBe(0);
    await t.services.tx.run((m) => m.query("INSERT INTO store (code, name) VALUES ('OK', 'kept')"));
    expect(Number((await t.ds.query("SELECT COUNT(*) AS n FROM store WHERE code = 'OK'"))[0].n)).toBe(1);
  });
});
