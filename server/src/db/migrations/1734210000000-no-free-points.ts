import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Issue 8.5, no points for nothing: surveys created by marketing and the answers members gave (once per member);
 * reviews with their text; one bind-card reward per card (a keyed hash of the number, never the number); random
 * invite codes kept on the member (unique).
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });
const ix = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });

const TABLES: Table[] = [
  new Table({
    name: 'survey',
    columns: [id, str('title', 100), text('questions'), int('points'), big('starts_at'), big('ends_at'), int('created_by'), big('created_at')],
    indices: [ix('survey', ['ends_at'])],
  }),
  new Table({
    name: 'survey_response',
    columns: [id, int('survey_id'), int('member_id'), text('answers'), big('created_at')],
    indices: [ix('survey_response', ['survey_id', 'member_id'], true), ix('survey_response', ['member_id'])],
  }),
  new Table({
    name: 'order_review',
    columns: [id, int('purchase_id'), int('member_id'), text('text'), big('created_at')],
    indices: [ix('order_review', ['purchase_id'], true), ix('order_review', ['member_id'])],
  }),
  new Table({
    name: 'card_binding',
    columns: [id, str('card_hash', 64), int('member_id'), big('created_at')],
    indices: [ix('card_binding', ['card_hash'], true), ix('card_binding', ['member_id'])],
  }),
];

export class NoFreePoints1734210000000 implements MigrationInterface {
  name = 'NoFreePoints1734210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.createTable(t, true);
    await q.addColumn('member', new TableColumn({ name: 'invite_code', type: 'varchar', length: '16', isNullable: true }));
    await q.createIndex('member', ix('member', ['invite_code'], true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('member', 'uq_member_invite_code');
    await q.dropColumn('member', 'invite_code');
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name, true);
  }
}
