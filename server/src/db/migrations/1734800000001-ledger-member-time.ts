import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A member's entries by time (issue 14.3): the tier's qualifying points sum the last 12 months of one
 * member's entries, so the read is bounded by the window rather than by the member's whole history.
 */
export class LedgerMemberTime1734800000001 implements MigrationInterface {
  name = 'LedgerMemberTime1734800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('ledger_entry', new TableIndex({ name: 'ix_ledger_entry_member_id_created_at', columnNames: ['member_id', 'created_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('ledger_entry', 'ix_ledger_entry_member_id_created_at');
  }
}
