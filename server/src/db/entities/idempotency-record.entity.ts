import { EntitySchema } from 'typeorm';
import { int, ms, pk, str, text } from '../columns';

/** First response of a retryable write, replayed for the same (scope, key) and request fingerprint. */
export interface IdempotencyRecord {
  id: number;
  scope: string;
  idemKey: string;
  requestHash: string;
  statusCode: number;
  responseBody: string;
  createdAt: number;
}

export const IdempotencyRecordEntity = new EntitySchema<IdempotencyRecord>({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_record',
  columns: {
    id: pk,
    scope: str(64),
    idemKey: { ...str(100), name: 'idem_key' },
    requestHash: { ...str(64), name: 'request_hash' },
    statusCode: { ...int, name: 'status_code' },
    responseBody: { ...text, name: 'response_body' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
