import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 11.5, notices that arrive: every notice row is also an outbox entry for WeChat. `wx_state` walks
 * pending -> claimed -> sending -> sent (or skipped / no_consent / failed / uncertain); a claim has an owner and
 * an expiry so a worker that dies is replaced. Rows from before this migration are marked 'none' (never sent
 * late). `wx_consent` holds the one-time consents a member gave per template (wx.requestSubscribeMessage).
 */
export class NoticeOutbox1734700000001 implements MigrationInterface {
  name = 'NoticeOutbox1734700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('notification', [
      new TableColumn({ name: 'wx_state', type: 'varchar', length: '16', default: "'pending'" }),
      new TableColumn({ name: 'wx_claim_by', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'wx_claim_until', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'wx_attempts', type: 'int', default: 0 }),
      new TableColumn({ name: 'wx_next_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'wx_done_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'wx_error', type: 'varchar', length: '100', isNullable: true }),
    ]);
    await q.query("UPDATE notification SET wx_state = 'none'");
    await q.createIndex('notification', new TableIndex({ name: 'ix_notification_wx_state_id', columnNames: ['wx_state', 'id'] }));
    await q.createIndex('notification', new TableIndex({ name: 'ix_notification_member_id_read_at', columnNames: ['member_id', 'read_at'] }));
    await q.createTable(
      new Table({
        name: 'wx_consent',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'member_id', type: 'int' },
          { name: 'template_id', type: 'varchar', length: '64' },
          { name: 'remaining', type: 'int' },
          { name: 'accepted_total', type: 'int' },
          { name: 'updated_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'uq_wx_consent_member_id_template_id', columnNames: ['member_id', 'template_id'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('wx_consent');
    await q.dropIndex('notification', 'ix_notification_member_id_read_at');
    await q.dropIndex('notification', 'ix_notification_wx_state_id');
    for (const c of ['wx_error', 'wx_done_at', 'wx_next_at', 'wx_attempts', 'wx_claim_until', 'wx_claim_by', 'wx_state']) await q.dropColumn('notification', c);
  }
}
