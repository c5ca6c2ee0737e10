import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Leased ranges of member ids for batch jobs (issue 14.2): one row per job and range (`range_start` aligned to
 * the job's range width), held by `owner` until `expires_at` (wall-clock ms). A worker claims a range with a
 * conditional UPDATE (free or expired) after an INSERT-or-ignore that makes sure the row exists, so several
 * instances share a job on SQLite, MariaDB, MySQL and TiDB alike without `FOR UPDATE SKIP LOCKED`.
 */
export class JobLease1735300000000 implements MigrationInterface {
  name = 'JobLease1735300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          { name: 'job', type: 'varchar', length: '32', isPrimary: true },
          { name: 'range_start', type: 'bigint', isPrimary: true },
          { name: 'range_end', type: 'bigint' },
          { name: 'owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'expires_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('job_lease', true);
  }
}
