import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Skimming prices and the anchor band's reason (issue 10.1, 10.2): a reward's dated price steps; a price-history row's reason. */
export class PriceSchedule1734900000000 implements MigrationInterface {
  name = 'PriceSchedule1734900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('reward', new TableColumn({ name: 'price_schedule', type: 'text', isNullable: true }));
    await q.addColumn('reward_price_history', new TableColumn({ name: 'reason', type: 'varchar', length: '200', default: "''" }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('reward_price_history', 'reason');
    await q.dropColumn('reward', 'price_schedule');
  }
}
