import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reports from rollups (issue 14.4): daily totals of the ledger per local day, code and sign, folded in by an
 * incremental job behind a watermark (the last ledger entry id folded in), so the health report reads a few
 * hundred rows instead of the whole ledger. Indexes for the report's other reads: lots that are still pending
 * (by activation time), redemptions by time. (No secondary index on member_account: on a small table the
 * optimizer then scans it for `member_id IN (…) FOR UPDATE` and locks rows other instances need.)
 */
export class LedgerRollups1734800000000 implements MigrationInterface {
  name = 'LedgerRollups1734800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ledger_daily',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'code', type: 'varchar', length: '32', isPrimary: true },
          { name: 'positive', type: 'int', isPrimary: true },
          { name: 'entries', type: 'bigint' },
          { name: 'points', type: 'bigint' },
        ],
      }),
      true,
    );
    await q.createTable(
      new Table({
        name: 'rollup_watermark',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'last_id', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
      true,
    );
    await q.query("INSERT INTO rollup_watermark (name, last_id, updated_at) VALUES ('ledger_daily', 0, 0)");
    await q.createIndex('points_lot', new TableIndex({ name: 'ix_points_lot_activates_at', columnNames: ['activates_at'] }));
    await q.createIndex('redemption', new TableIndex({ name: 'ix_redemption_created_at', columnNames: ['created_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('redemption', 'ix_redemption_created_at');
    await q.dropIndex('points_lot', 'ix_points_lot_activates_at');
    await q.dropTable('rollup_watermark', true);
    await q.dropTable('ledger_daily', true);
  }
}
