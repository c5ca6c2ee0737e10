import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * The whole first schema, written with TypeORM's Table API so one migration serves SQLite and MySQL.
 * Times are epoch milliseconds (BIGINT); points and fen are INT.
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });

function table(name: string, columns: TableColumnOptions[], indices: { columns: string[]; unique?: boolean }[] = []): Table {
  return new Table({
    name,
    columns,
    indices: indices.map(
      (i) => new TableIndex({ name: `${i.unique ? 'uq' : 'ix'}_${name}_${i.columns.join('_')}`, columnNames: i.columns, isUnique: i.unique ?? false }),
    ),
  });
}

export const TABLES: Table[] = [
  table('store', [id, str('code', 32), str('name', 100)], [{ columns: ['code'], unique: true }]),
  table(
    'staff',
    [id, str('username', 64), str('password_hash', 255), str('role', 16), int('store_id', true), bool('disabled'), ms('created_at')],
    [{ columns: ['username'], unique: true }],
  ),
  table(
    'member',
    [id, str('openid', 64), str('nickname', 64), str('birthday', 10, true), ms('birthday_set_at', true), int('invited_by', true), ms('first_purchase_at', true), ms('created_at')],
    [{ columns: ['openid'], unique: true }, { columns: ['invited_by'] }],
  ),
  table('member_account', [
    { name: 'member_id', type: 'int', isPrimary: true },
    int('balance'),
    int('debt'),
    int('version'),
    str('last_checkin_day', 10, true),
    int('checkin_streak'),
    ms('updated_at'),
  ]),
  table(
    'ledger_entry',
    [id, int('member_id'), str('code', 32), int('delta'), int('balance_after'), str('ref_type', 32, true), str('ref_id', 64, true), int('reverses_entry_id', true), str('reason', 255), text('breakdown', true), str('actor', 64), ms('created_at')],
    [{ columns: ['member_id', 'id'] }, { columns: ['created_at'] }, { columns: ['ref_type', 'ref_id'] }],
  ),
  table(
    'points_lot',
    [id, int('member_id'), int('entry_id'), int('amount'), int('remaining'), ms('earned_at'), ms('activates_at'), ms('expires_at'), str('ref_type', 32, true), str('ref_id', 64, true)],
    [{ columns: ['member_id', 'expires_at'] }, { columns: ['expires_at', 'remaining'] }],
  ),
  table('lot_movement', [id, int('entry_id'), int('lot_id'), int('member_id'), int('delta')], [{ columns: ['entry_id'] }, { columns: ['lot_id'] }]),
  table(
    'idempotency_record',
    [id, str('scope', 64), str('idem_key', 100), str('request_hash', 64), int('status_code'), text('response_body'), ms('created_at')],
    [{ columns: ['scope', 'idem_key'], unique: true }],
  ),
  table(
    'checkin',
    [id, int('member_id'), str('day', 10), int('streak'), int('points'), int('entry_id'), ms('created_at')],
    [{ columns: ['member_id', 'day'], unique: true }],
  ),
  table('reward', [
    id,
    str('title', 100),
    text('description'),
    str('image_url', 500),
    int('points_price'),
    int('stock'),
    str('min_tier', 16, true),
    int('per_member_limit', true),
    ms('starts_at', true),
    ms('ends_at', true),
    bool('active'),
    int('sort_order'),
    ms('created_at'),
  ]),
  table(
    'redemption',
    [id, int('member_id'), int('reward_id'), int('quantity'), int('points'), str('pickup_code', 16), str('status', 20), int('entry_id'), int('cancel_entry_id', true), ms('created_at'), ms('fulfilled_at', true), int('fulfilled_by', true), int('fulfilled_store_id', true), ms('cancelled_at', true)],
    [{ columns: ['pickup_code'], unique: true }, { columns: ['member_id', 'reward_id'] }],
  ),
  table(
    'purchase',
    [id, int('store_id'), str('order_no', 64), int('member_id'), int('amount_fen'), int('points_awarded'), int('refunded_fen'), int('reversed_points'), int('entry_id'), text('breakdown'), int('campaign_id', true), int('campaign_bonus'), int('clerk_id'), ms('created_at')],
    [{ columns: ['store_id', 'order_no'], unique: true }, { columns: ['member_id'] }],
  ),
  table(
    'refund',
    [id, int('purchase_id'), int('member_id'), int('amount_fen'), int('points_reversed'), int('entry_id', true), int('clerk_id'), ms('created_at')],
    [{ columns: ['purchase_id'] }],
  ),
  table('member_code_use', [id, int('member_id'), str('code', 64), ms('used_at')], [{ columns: ['member_id', 'code'], unique: true }]),
  table(
    'campaign',
    [id, str('name', 100), int('multiplier_pct'), ms('starts_at'), ms('ends_at'), text('tiers'), text('store_ids'), text('channels'), bool('stacks_with_tier'), int('budget_points'), int('issued_points'), ms('ended_at', true), int('created_by'), ms('created_at'), ms('updated_at')],
    [{ columns: ['starts_at', 'ends_at'] }],
  ),
  table('campaign_history', [id, int('campaign_id'), str('action', 16), text('snapshot'), str('actor', 64), ms('created_at')], [{ columns: ['campaign_id'] }]),
  table(
    'task_completion',
    [id, int('member_id'), str('task', 16), str('task_key', 64), str('month', 7), int('points'), int('entry_id', true), ms('created_at')],
    [{ columns: ['member_id', 'task', 'task_key'], unique: true }, { columns: ['member_id', 'month'] }],
  ),
  table(
    'notification',
    [id, int('member_id'), str('kind', 32), str('title', 100), str('body', 500), str('dedupe_key', 100, true), ms('created_at'), ms('read_at', true)],
    [{ columns: ['member_id', 'id'] }, { columns: ['dedupe_key'], unique: true }],
  ),
  table('login_throttle', [{ name: 'throttle_key', type: 'varchar', length: '150', isPrimary: true }, int('failures'), ms('window_started_at'), ms('locked_until', true)]),
];

export class Initial1732300000000 implements MigrationInterface {
  name = 'Initial1732300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.createTable(t, true);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name, true);
  }
}
