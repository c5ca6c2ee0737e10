import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Issue 11.3, expiry that gives back: coupons that expired points become (one per member and expiry date,
 * `source_key` unique so a re-run or a crash never issues two; used once at the till, `used_at` set by a
 * conditional UPDATE) and the shelf discount the 7-day reminder offers until the expiry date.
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ix = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });

export class ExpiryGiveback1734700000000 implements MigrationInterface {
  name = 'ExpiryGiveback1734700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'coupon',
        columns: [
          id,
          int('member_id'),
          str('code', 16),
          str('source_key', 100),
          str('title', 60),
          int('points'),
          int('value_fen'),
          int('min_spend_fen'),
          int('cost_fen'),
          big('issued_at'),
          big('expires_at'),
          big('used_at', true),
          int('used_store_id', true),
          str('used_order_no', 64, true),
          int('used_by', true),
        ],
        indices: [ix('coupon', ['code'], true), ix('coupon', ['source_key'], true), ix('coupon', ['member_id', 'id']), ix('coupon', ['issued_at']), ix('coupon', ['expires_at'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'member_offer',
        columns: [id, int('member_id'), str('kind', 32), int('pct'), big('until'), str('source_key', 100), big('created_at')],
        indices: [ix('member_offer', ['source_key'], true), ix('member_offer', ['member_id', 'until'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('member_offer');
    await q.dropTable('coupon');
  }
}
