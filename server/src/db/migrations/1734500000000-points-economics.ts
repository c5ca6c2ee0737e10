import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Points economics (issue 10): rules versioned in the database (every ledger entry records the version it
 * was computed under), value changes announced ahead with compensation paid once per member and change,
 * and the yearly quantity plan.
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });

export class PointsEconomics1734500000000 implements MigrationInterface {
  name = 'PointsEconomics1734500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'rules_version',
        columns: [id, str('kind', 24), str('reason', 255), text('rules'), int('guard_factor_pct'), bool('bonuses_stopped'), int('value_change_id', true), big('created_at')],
      }),
    );
    await q.addColumn('ledger_entry', new TableColumn({ name: 'rules_version', type: 'int', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'value_change',
        columns: [
          id,
          str('title', 64),
          str('reason', 500),
          big('effective_at'),
          text('rules'),
          text('compensation'),
          text('simulation'),
          str('status', 16),
          int('after_member_id'),
          int('members_compensated'),
          big('compensation_points'),
          int('rules_version_id', true),
          str('created_by', 64),
          big('created_at'),
          big('applied_at', true),
        ],
        indices: [new TableIndex({ name: 'ix_value_change_status_effective_at', columnNames: ['status', 'effective_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'compensation',
        columns: [id, int('value_change_id'), int('member_id'), int('balance_before'), int('points'), int('entry_id', true), big('created_at')],
        indices: [new TableIndex({ name: 'uq_compensation_value_change_id_member_id', columnNames: ['value_change_id', 'member_id'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'points_plan',
        columns: [id, int('year'), big('expected_sales_fen'), int('issuance_cap_bp'), int('redemption_budget_bp'), big('reward_cost_budget_fen'), str('updated_by', 64), big('updated_at')],
        indices: [new TableIndex({ name: 'uq_points_plan_year', columnNames: ['year'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('points_plan');
    await q.dropTable('compensation');
    await q.dropTable('value_change');
    await q.dropColumn('ledger_entry', 'rules_version');
    await q.dropTable('rules_version');
  }
}
