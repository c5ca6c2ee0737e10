import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const CODES = "'EARN_PURCHASE', 'EARN_CHECKIN', 'EARN_TASK', 'EARN_CAMPAIGN_BONUS', 'REFUND_REVERSAL'";

/**
 * Qualifying points per member and month (issue 14.3): `member_qualifying_month` (member_id, month 'YYYY-MM' of
 * Asia/Shanghai, i.e. UTC+8, points), kept by every write of a qualifying entry in its own transaction, so a tier
 * read sums at most 13 rows plus the partial edge months instead of the member's year of entries. Backfilled
 * here from the ledger in one INSERT … SELECT … GROUP BY (the month computed from epoch ms + 8 h without any
 * session time zone). The codes are those of QUALIFYING_CODES as of this migration.
 */
export class QualifyingMonths1735700000000 implements MigrationInterface {
  name = 'QualifyingMonths1735700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'member_qualifying_month',
        columns: [
          { name: 'member_id', type: 'int', isPrimary: true },
          { name: 'month', type: 'varchar', length: '7', isPrimary: true },
          { name: 'points', type: 'bigint' },
        ],
      }),
      true,
    );
    const month =
      q.connection.options.type === 'mysql'
        ? "DATE_FORMAT(TIMESTAMPADD(SECOND, (created_at + 28800000) DIV 1000, '1970-01-01 00:00:00'), '%Y-%m')"
        : "strftime('%Y-%m', (created_at + 28800000) / 1000, 'unixepoch')";
    await q.query(
      `INSERT INTO member_qualifying_month (member_id, month, points)
       SELECT member_id, ${month} AS month, SUM(delta) FROM ledger_entry WHERE code IN (${CODES}) GROUP BY member_id, ${month}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('member_qualifying_month', true);
  }
}
