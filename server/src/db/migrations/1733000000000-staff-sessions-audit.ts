import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Staff session versions (revocable tokens) and the audit trail (issues 8 and 9). */
export class StaffSessionsAudit1733000000000 implements MigrationInterface {
  name = 'StaffSessionsAudit1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('staff', new TableColumn({ name: 'session_version', type: 'int', default: 0 }));
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'actor_id', type: 'int', isNullable: true },
          { name: 'actor_name', type: 'varchar', length: '64' },
          { name: 'actor_role', type: 'varchar', length: '16', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target_type', type: 'varchar', length: '32', isNullable: true },
          { name: 'target_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'before', type: 'text', isNullable: true },
          { name: 'after', type: 'text', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64' },
          { name: 'request_id', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_log_created_at', columnNames: ['created_at'] }),
          new TableIndex({ name: 'ix_audit_log_actor_id_id', columnNames: ['actor_id', 'id'] }),
          new TableIndex({ name: 'ix_audit_log_target', columnNames: ['target_type', 'target_id', 'id'] }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_log', true);
    await q.dropColumn('staff', 'session_version');
  }
}
