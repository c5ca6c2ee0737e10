import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * The rewards catalogue (issue 9 item 1): a reward's worth to the member and cost to the brand, category,
 * images and a status that replaces the `active` flag (kept, written in step, so an older instance still
 * reads it during a rolling upgrade); every price a reward has had, and every stock movement. Existing
 * rewards get an opening stock movement, so stock = the sum of movements from here on.
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string): TableColumnOptions => ({ name, type: 'int' });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });

export class RewardsCatalogue1734300000000 implements MigrationInterface {
  name = 'RewardsCatalogue1734300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('reward', [
      new TableColumn({ name: 'face_value_fen', type: 'int', default: 0 }),
      new TableColumn({ name: 'cost_fen', type: 'int', default: 0 }),
      new TableColumn({ name: 'category', type: 'varchar', length: '20', default: "''" }),
      new TableColumn({ name: 'images', type: 'text', isNullable: true }),
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'on_sale'" }),
      new TableColumn({ name: 'updated_at', type: 'bigint', default: 0 }),
    ]);
    await q.query("UPDATE reward SET status = 'paused' WHERE active = 0");
    await q.query('UPDATE reward SET updated_at = created_at');
    await q.createIndex('reward', new TableIndex({ name: 'ix_reward_status_sort', columnNames: ['status', 'sort_order'] }));
    await q.createTable(
      new Table({
        name: 'reward_price_history',
        columns: [id, int('reward_id'), int('points_price'), int('face_value_fen'), int('cost_fen'), str('changed_by', 64), big('changed_at')],
        indices: [new TableIndex({ name: 'ix_reward_price_history_reward_id', columnNames: ['reward_id', 'id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'reward_stock_movement',
        columns: [id, int('reward_id'), int('delta'), int('stock_after'), str('kind', 16), str('reason', 255), str('actor', 64), big('created_at')],
        indices: [new TableIndex({ name: 'ix_reward_stock_movement_reward_id', columnNames: ['reward_id', 'id'] })],
      }),
    );
    await q.query(
      `INSERT INTO reward_stock_movement (reward_id, delta, stock_after, kind, reason, actor, created_at) SELECT id, stock, stock, 'initial', '迁移时的库存', 'migration', created_at FROM reward`,
    );
    await q.query(
      `INSERT INTO reward_price_history (reward_id, points_price, face_value_fen, cost_fen, changed_by, changed_at) SELECT id, points_price, 0, 0, 'migration', created_at FROM reward`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('reward_stock_movement');
    await q.dropTable('reward_price_history');
    await q.dropIndex('reward', 'ix_reward_status_sort');
    for (const c of ['updated_at', 'status', 'images', 'category', 'cost_fen', 'face_value_fen']) await q.dropColumn('reward', c);
  }
}
