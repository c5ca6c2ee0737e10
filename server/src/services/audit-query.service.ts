import { AUDIT_PAGE_DEFAULT, startOfLocalDay, stripUnsafeText, type AuditEntryDto, type AuditQuery } from '@jifen/shared';
import { AuditLogEntity, type AuditLog } from '../db/entities';
import type { TxRunner } from '../db/transaction';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function parseJson(v: string | null): unknown {
  if (v === null) return null;
  try {
    return JSON.parse(v);
  } catch {
    return v; // a snapshot cut at the size limit stays readable as text
  }
}

/**
 * Reads the audit trail (GET /admin/audit): filters on indexed columns (actor_name, action,
 * target_type+target_id, created_at), newest first by id, a page at a time (cursor = the last id seen).
 * There is no method that changes a row: the trail is append-only (AuditService.record).
 */
export class AuditQueryService {
  constructor(
    private readonly tx: TxRunner,
    private readonly timezone: string,
  ) {}

  async list(q: AuditQuery): Promise<{ entries: AuditEntryDto[]; nextCursor: string | null }> {
    const limit = q.limit ?? AUDIT_PAGE_DEFAULT;
    const qb = this.tx.manager.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (q.actor) qb.andWhere('a.actor_name = :actor', { actor: stripUnsafeText(q.actor).toLowerCase() });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.target) {
      const at = q.target.indexOf(':');
      const type = at < 0 ? q.target : q.target.slice(0, at);
      qb.andWhere('a.target_type = :type', { type });
      if (at >= 0) qb.andWhere('a.target_id = :tid', { tid: q.target.slice(at + 1) });
    }
    if (q.from) qb.andWhere('a.created_at >= :from', { from: this.instant(q.from, 'start') });
    if (q.to) qb.andWhere('a.created_at < :to', { to: this.instant(q.to, 'end') });
    if (q.cursor) qb.andWhere('a.id < :cursor', { cursor: q.cursor });
    const rows = await qb.orderBy('a.id', 'DESC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    return { entries: page.map(toDto), nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
  }

  /** A local day's start (from) or the next day's start (to, so the day is included); an instant as is (to: just after it). */
  private instant(v: string, edge: 'start' | 'end'): number {
    if (DAY_RE.test(v)) return edge === 'start' ? startOfLocalDay(v, this.timezone).getTime() : nextLocalDayStart(v, this.timezone);
    const ms = Date.parse(v);
    return edge === 'start' ? ms : ms + 1;
  }
}

function nextLocalDayStart(day: string, tz: string): number {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return startOfLocalDay(next, tz).getTime();
}

function toDto(a: AuditLog): AuditEntryDto {
  return {
    id: a.id,
    at: new Date(a.createdAt).toISOString(),
    actor: { id: a.actorId, username: a.actorName, role: a.actorRole },
    action: a.action,
    target: a.targetType ? { type: a.targetType, id: a.targetId } : null,
    before: parseJson(a.before),
    after: parseJson(a.after),
    ip: a.ip,
    requestId: a.requestId,
  };
}
