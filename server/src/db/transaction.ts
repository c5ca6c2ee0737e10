import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * The one way to run a write transaction.
 * - SQLite (better-sqlite3) shares one connection, so concurrent transaction() calls fail with
 *   "cannot start a transaction within a transaction": we serialize them through a process-wide queue.
 *   Every write goes through run(): a bare write would join, and roll back with, whichever transaction
 *   is open on that connection. Reads outside run() may see an open transaction's rows, so decisions
 *   (idempotency replays) are only ever taken inside run() on SQLite.
 * - MySQL/MariaDB runs READ COMMITTED (each statement sees the latest commit, which is what the
 *   lock-then-read pattern needs), set once per pooled connection, and retries a transaction that lost a
 *   deadlock or a lock wait.
 */
export class TxRunner {
  readonly kind: 'sqlite' | 'mysql';
  private tail: Promise<unknown> = Promise.resolve();
  private static readonly RETRY_MAX = 5;

  constructor(readonly ds: DataSource) {
    this.kind = ds.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /** The manager for reads outside a transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

  run<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'sqlite') return this.enqueue(() => this.ds.transaction(fn));
    return this.runMysql(fn, 0);
  }

  /**
   * A read-only view of one moment across several queries (verify, reports): REPEATABLE READ on MySQL; on
   * SQLite a deferred (read) transaction, which in WAL mode sees one snapshot and never blocks a writer,
   * in this process or another. `fn` only reads.
   */
  snapshot<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'mysql') return this.ds.transaction('REPEATABLE READ', fn);
    return this.enqueue(async () => {
      await this.ds.query('BEGIN DEFERRED');
      try {
        const result = await fn(this.ds.manager);
        await this.ds.query('COMMIT');
        return result;
      } catch (e) {
        await this.ds.query('ROLLBACK');
        throw e;
      }
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Connections already switched to READ COMMITTED for the session (issue 14.1): the level is set once per
   * pooled connection, not with a `SET TRANSACTION ISOLATION LEVEL` before every transaction.
   */
  private readonly readCommitted = new WeakSet<object>();

  private async transactionMysql<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    const qr = this.ds.createQueryRunner();
    try {
      const conn = (await qr.connect()) as object;
      if (!this.readCommitted.has(conn)) {
        await qr.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.readCommitted.add(conn);
      }
      await qr.startTransaction();
      try {
        const out = await fn(qr.manager);
        await qr.commitTransaction();
        return out;
      } catch (e) {
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw e;
      }
    } finally {
      await qr.release();
    }
  }

  private async runMysql<T>(fn: (m: EntityManager) => Promise<T>, attempt: number): Promise<T> {
    try {
      return await this.transactionMysql(fn);
    } catch (e) {
      const errno = (e as { errno?: number; driverError?: { errno?: number } }).driverError?.errno ?? (e as { errno?: number }).errno;
      // 1213 deadlock, 1205 lock wait timeout: the whole transaction was rolled back and may run again.
      if ((errno === 1213 || errno === 1205) && attempt < TxRunner.RETRY_MAX) {
        await new Promise((r) => setTimeout(r, 5 * 2 ** attempt));
        return this.runMysql(fn, attempt + 1);
      }
      throw e;
    }
  }

  /** Row lock for a select (FOR UPDATE on MySQL; SQLite transactions are already serialized). */
  forUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.kind === 'mysql' ? qb.setLock('pessimistic_write') : qb;
  }

  /** FOR UPDATE SKIP LOCKED on MySQL, for batch jobs that more than one instance may run at once. */
  forUpdateSkipLocked<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.kind === 'mysql' ? qb.setLock('pessimistic_write').setOnLocked('skip_locked') : qb;
  }
}

/** True when a driver error is a unique-key violation (both databases). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string; errno?: number }; errno?: number };
  const code = err.driverError?.code ?? err.code;
  const errno = err.driverError?.errno ?? err.errno;
  return code === 'ER_DUP_ENTRY' || errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
