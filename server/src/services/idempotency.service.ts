import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import { IdempotencyRecordEntity } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { jsonWithRefs, type WriteBatch } from '../db/write-batch';

/** A retryable write's identity: scope (who), the client's key, and a fingerprint of the request. */
export interface IdemRequest {
  scope: string;
  key: string;
  hash: string;
}

export interface Outcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs a retryable write once per (scope, key). The work's first step locks the member row, so the
 * record is checked again after that lock: concurrent retries queue on the lock and then replay.
 * Only successful results are stored; a failed attempt wrote nothing and may be retried.
 */
export class IdempotencyService {
  constructor(private readonly tx: TxRunner, private readonly clock: Clock) {}

  async run<L, T>(
    idem: IdemRequest,
    lock: (m: EntityManager) => Promise<L>,
    work: (m: EntityManager, locked: L) => Promise<{ status: number; body: T }>,
  ): Promise<Outcome<T>> {
    // The record is read only under the lock, inside the transaction: a read before it would cost every
    // first attempt a round trip, and on SQLite could see a row another transaction has not committed.
    try {
      return await this.tx.run(async (m) => {
        const locked = await lock(m);
        const again = await this.replay<T>(idem, m);
        if (again) return again;
        const result = await work(m, locked);
        await m.getRepository(IdempotencyRecordEntity).insert({
          scope: idem.scope,
          idemKey: idem.key,
          requestHash: idem.hash,
          statusCode: result.status,
          responseBody: JSON.stringify(result.body),
          createdAt: this.clock().getTime(),
        });
        return { ...result, replayed: false };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const after = await this.replay<T>(idem, this.tx.manager);
      if (after) return after;
      throw e;
    }
  }

  // ---- for a hot path that reads the record in its own lock statement and writes it in its write batch ----

  /** The record's columns to add to a lock statement: `LEFT JOIN idempotency_record jf_idem ON …` with these params. */
  static readonly JOIN = 'LEFT JOIN idempotency_record jf_idem ON jf_idem.scope = ? AND jf_idem.idem_key = ?';
  static readonly COLUMNS = 'jf_idem.request_hash AS jf_hash, jf_idem.status_code AS jf_status, jf_idem.response_body AS jf_body';
  static joinParams(idem: IdemRequest): string[] {
    return [idem.scope, idem.key];
  }

  /** The replay of a record read under the lock (columns COLUMNS), or null when there is none. */
  replayFromRow<T>(idem: IdemRequest, row: { jf_hash: string | null; jf_status: unknown; jf_body: string | null }): Outcome<T> | null {
    if (row.jf_hash === null || row.jf_hash === undefined) return null;
    if (row.jf_hash !== idem.hash) throw new AppError('IDEMPOTENCY_MISMATCH');
    return { status: Number(row.jf_status), body: JSON.parse(row.jf_body!) as T, replayed: true };
  }

  /** Queues the record of a first result (the body may name rows the same batch inserts, as Refs). */
  recordInto(batch: WriteBatch, idem: IdemRequest, status: number, body: unknown): void {
    batch.insert(IdempotencyRecordEntity, { scope: idem.scope, idemKey: idem.key, requestHash: idem.hash, statusCode: status, responseBody: jsonWithRefs(body), createdAt: this.clock().getTime() });
  }

  /** After a transaction failed on a unique key: the other attempt's committed result, else the error again. */
  async afterConflict<T>(idem: IdemRequest, e: unknown): Promise<Outcome<T>> {
    if (!isUniqueViolation(e)) throw e;
    const after = await this.replay<T>(idem, this.tx.manager);
    if (after) return after;
    throw e;
  }

  private async replay<T>(idem: IdemRequest, m: EntityManager): Promise<Outcome<T> | null> {
    const repo = m.getRepository(IdempotencyRecordEntity);
    const rec = await repo.findOne({ where: { scope: idem.scope, idemKey: idem.key } });
    if (!rec) return null;
    if (rec.requestHash !== idem.hash) throw new AppError('IDEMPOTENCY_MISMATCH');
    return { status: rec.statusCode, body: JSON.parse(rec.responseBody) as T, replayed: true };
  }
}
