import type { EntityManager } from 'typeorm';
import type { StaffRole } from '@jifen/shared';
import { AuditLogEntity } from '../db/entities';
import type { Clock } from '../clock';

/** Who did a staff write, and from where: built by the router from the request, passed to the service. */
export interface Actor {
  staffId: number | null;
  username: string;
  role: StaffRole | null;
  storeId: number | null;
  ip: string;
  requestId: string;
}

export interface AuditInput {
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

const JSON_MAX = 60_000; // a TEXT column holds 64 KB; a bigger snapshot is cut, never lost silently

function snapshot(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = JSON.stringify(v);
  return s.length > JSON_MAX ? `${s.slice(0, JSON_MAX)}…(truncated)` : s;
}

/**
 * The audit trail (issue 9 item 7). record() runs inside the caller's transaction, so a write and its
 * audit row commit or roll back together. Nothing updates or deletes these rows.
 */
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(m: EntityManager, actor: Actor, e: AuditInput): Promise<void> {
    await m.getRepository(AuditLogEntity).insert({
      actorId: actor.staffId,
      actorName: actor.username.slice(0, 64),
      actorRole: actor.role,
      action: e.action.slice(0, 64),
      targetType: e.targetType ?? null,
      targetId: e.targetId === undefined || e.targetId === null ? null : String(e.targetId).slice(0, 64),
      before: snapshot(e.before),
      after: snapshot(e.after),
      ip: actor.ip.slice(0, 64),
      requestId: actor.requestId.slice(0, 64),
      createdAt: this.clock().getTime(),
    });
  }
}
