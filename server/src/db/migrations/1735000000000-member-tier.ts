import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Stored tiers with an anniversary (保级, issue 11.4). No backfill in SQL: the thresholds live in the rules
 * config, not the schema. Members without a row read the tier the rules give them now (the same figure the
 * server showed before), and the tier job's first step (server start, its interval, `npm run tiers`) stores
 * exactly that, with the anniversary a tier year after the backfill (docs/tiers.md).
 */
export class MemberTier1735000000000 implements MigrationInterface {
  name = 'MemberTier1735000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'member_tier',
        columns: [
          { name: 'member_id', type: 'int', isPrimary: true },
          { name: 'code', type: 'varchar', length: '16' },
          { name: 'achieved_at', type: 'bigint' },
          { name: 'year_from', type: 'bigint' },
          { name: 'review_at', type: 'bigint', isNullable: true },
          { name: 'warned_for', type: 'bigint', isNullable: true },
          { name: 'prev_code', type: 'varchar', length: '16', isNullable: true },
          { name: 'prev_achieved_at', type: 'bigint', isNullable: true },
          { name: 'prev_year_from', type: 'bigint', isNullable: true },
          { name: 'prev_review_at', type: 'bigint', isNullable: true },
          { name: 'version', type: 'int', default: 0 },
          { name: 'updated_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'ix_member_tier_review_at', columnNames: ['review_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('member_tier');
  }
}
