import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The health report's account figures without a pass over every account (issue 14.4): `member_debt` holds the
 * debt of each member who has one, as of the ledger rollups' watermark (the catch-up job refreshes the members
 * whose entries it folds: debt only changes with an entry of that member); `rollup_total` holds counters kept
 * by the same job with their own watermark ('members': members up to `last_id`). Readers add the tail after the
 * watermarks, so the figures are exact. Filled here from what the database holds (the app is not serving yet).
 * No secondary index on member_account (see 1734800000000-ledger-rollups).
 */
export class AccountRollups1735800000000 implements MigrationInterface {
  name = 'AccountRollups1735800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'member_debt',
        columns: [
          { name: 'member_id', type: 'int', isPrimary: true },
          { name: 'debt', type: 'bigint' },
        ],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'rollup_total',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'last_id', type: 'bigint' },
          { name: 'value', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
      true,
    );
    await q.query('INSERT INTO member_debt (member_id, debt) SELECT member_id, debt FROM member_account WHERE debt > 0');
    await q.query("INSERT INTO rollup_total (name, last_id, value, updated_at) SELECT 'members', COALESCE(MAX(id), 0), COUNT(*), 0 FROM member");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rollup_total', true);
    await q.dropTable('member_debt', true);
  }
}
