import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 11.7, points at the till (积分抵扣): a purchase records the points that paid part of it, their value in fen,
 * the REDEEM entry that debited them, and how many a refund has given back so far. Additive: old rows read 0 / null.
 */
const COLUMNS = [
  new TableColumn({ name: 'points_used', type: 'int', default: 0 }),
  new TableColumn({ name: 'points_fen', type: 'int', default: 0 }),
  new TableColumn({ name: 'points_returned', type: 'int', default: 0 }),
  new TableColumn({ name: 'redeem_entry_id', type: 'int', isNullable: true }),
];

export class TillPoints1734200000000 implements MigrationInterface {
  name = 'TillPoints1734200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('purchase', COLUMNS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('purchase', COLUMNS.map((c) => c.name));
  }
}
