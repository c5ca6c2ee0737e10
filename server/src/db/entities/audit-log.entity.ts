import { EntitySchema } from 'typeorm';
import { intNull, ms, pk, str, strNull, textNull } from '../columns';

/**
 * One row per staff write and per failed staff login (issue 9 item 7): who, in which role, did what to
 * which target, the state before and after (JSON), when, from where, under which request id. Append-only:
 * no route updates or deletes it.
 */
export interface AuditLog {
  id: number;
  actorId: number | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: string | null;
  after: string | null;
  ip: string;
  requestId: string;
  createdAt: number;
}

export const AuditLogEntity = new EntitySchema<AuditLog>({
  name: 'AuditLog',
  tableName: 'audit_log',
  columns: {
    id: pk,
    actorId: { ...intNull, name: 'actor_id' },
    actorName: { ...str(64), name: 'actor_name' },
    actorRole: { ...strNull(16), name: 'actor_role' },
    action: str(64),
    targetType: { ...strNull(32), name: 'target_type' },
    targetId: { ...strNull(64), name: 'target_id' },
    before: textNull,
    after: textNull,
    ip: str(64),
    requestId: { ...str(64), name: 'request_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
