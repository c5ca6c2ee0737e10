import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** Issue 11 item 2: disputes with their deadline (the queue reads (status, due_at); the member (member_id, id)). */
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
// 500 characters of text; varchar(2000) leaves room for 4-byte characters counted by some clients as two.
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ix = (columns: string[]) => new TableIndex({ name: `ix_dispute_${columns.join('_')}`, columnNames: columns });

const DISPUTE = new Table({
  name: 'dispute',
  columns: [
    { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
    int('member_id'),
    int('entry_id', true),
    str('text', 2000),
    { name: 'images', type: 'text', isNullable: true },
    str('status', 16),
    big('created_at'),
    big('due_at'),
    str('answer_text', 2000, true),
    int('answer_points', true),
    int('answered_by', true),
    str('answered_name', 64, true),
    big('answered_at', true),
    int('adjustment_id', true),
    big('closed_at', true),
  ],
  indices: [ix(['member_id', 'id']), ix(['status', 'due_at']), ix(['answered_at'])],
});

export class Disputes1734610000000 implements MigrationInterface {
  name = 'Disputes1734610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(DISPUTE, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('dispute', true);
  }
}
