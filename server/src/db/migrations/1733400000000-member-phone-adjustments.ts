import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Issue 9 items 3-5: the member's phone (unique, so a phone finds one member) and the nickname index that
 * serves prefix search; adjustments (requests and applied ones, with their approver); bulk imports and
 * their rows (the rows' status is what makes a commit exactly-once and resumable).
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
const ix = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });

const TABLES: Table[] = [
  new Table({
    name: 'adjustment',
    columns: [
      id,
      int('member_id'),
      int('points'),
      str('reason', 255),
      bool('allow_debt'),
      str('status', 16),
      int('requested_by'),
      str('requested_name', 64),
      str('requested_role', 16, true),
      int('decided_by', true),
      str('decided_name', 64, true),
      str('decided_role', 16, true),
      big('decided_at', true),
      str('decision_note', 255, true),
      int('entry_id', true),
      str('link_type', 32, true),
      str('link_id', 64, true),
      big('created_at'),
    ],
    indices: [ix('adjustment', ['status', 'id']), ix('adjustment', ['member_id', 'id']), ix('adjustment', ['link_type', 'link_id'])],
  }),
  new Table({
    name: 'adjustment_import',
    columns: [
      id,
      str('file_name', 100, true),
      str('status', 16),
      int('row_count'),
      int('valid_count'),
      int('invalid_count'),
      big('total_points'),
      int('applied_count'),
      int('failed_count'),
      int('next_line'),
      str('content_sha256', 64),
      int('created_by'),
      str('created_name', 64),
      big('created_at'),
      int('committed_by', true),
      big('commit_started_at', true),
      big('committed_at', true),
    ],
    indices: [ix('adjustment_import', ['created_at'])],
  }),
  new Table({
    name: 'adjustment_import_row',
    columns: [id, int('import_id'), int('line'), str('member_key', 64), int('member_id', true), int('points'), str('reason', 255), str('status', 16), str('error', 255, true), int('entry_id', true)],
    indices: [ix('adjustment_import_row', ['import_id', 'line'], true)],
  }),
];

export class MemberPhoneAdjustments1733400000000 implements MigrationInterface {
  name = 'MemberPhoneAdjustments1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('member', [
      new TableColumn({ name: 'phone', type: 'varchar', length: '20', isNullable: true }),
      new TableColumn({ name: 'phone_bound_at', type: 'bigint', isNullable: true }),
    ]);
    // Unique: many NULLs are allowed on both databases (members without a phone).
    await q.createIndex('member', ix('member', ['phone'], true));
    // Nickname prefix search: `nickname LIKE 'x%'` is a range on this index, paged by (nickname, id).
    await q.createIndex('member', ix('member', ['nickname', 'id']));
    for (const t of TABLES) await q.createTable(t, true);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name, true);
    await q.dropIndex('member', 'ix_member_nickname_id');
    await q.dropIndex('member', 'uq_member_phone');
    await q.dropColumn('member', 'phone_bound_at');
    await q.dropColumn('member', 'phone');
  }
}
