import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The staff and stores back office (issue 9 items 6-7): a store can be closed (and reopened), a staff
 * account has a display name, and the audit trail can be filtered by actor name (failed logins have no
 * actor id) and by action through indexes, newest first.
 */
export class StaffStoresAdmin1733500000000 implements MigrationInterface {
  name = 'StaffStoresAdmin1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('store', new TableColumn({ name: 'closed_at', type: 'bigint', isNullable: true }));
    await q.addColumn('staff', new TableColumn({ name: 'display_name', type: 'varchar', length: '32', default: "''" }));
    await q.createIndex('audit_log', new TableIndex({ name: 'ix_audit_log_actor_name_id', columnNames: ['actor_name', 'id'] }));
    await q.createIndex('audit_log', new TableIndex({ name: 'ix_audit_log_action_id', columnNames: ['action', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('audit_log', 'ix_audit_log_action_id');
    await q.dropIndex('audit_log', 'ix_audit_log_actor_name_id');
    await q.dropColumn('staff', 'display_name');
    await q.dropColumn('store', 'closed_at');
  }
}
