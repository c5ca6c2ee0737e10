import { In, type EntityManager } from 'typeorm';
import { needsApproval, type AdjustmentDto, type AdjustmentListResponse, type AdjustmentResponse, type AdjustmentStatus, type RulesConfig, type StaffRole } from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { AdjustmentEntity, MemberEntity, type Adjustment, type LedgerEntry, type MemberAccount } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { AuditService, Actor } from './audit.service';
import type { IdemRequest, IdempotencyService, Outcome } from './idempotency.service';
import type { LedgerService } from './ledger.service';

/** What an adjustment answers, e.g. { type: 'dispute', id: '12' } (issue 11). */
export interface AdjustmentLink {
  type: string;
  id: string;
}

export interface AdjustInput {
  memberId: number;
  points: number;
  reason: string;
  allowDebt?: boolean;
  link?: AdjustmentLink | null;
}

export const ADJUSTMENT_REF = 'adjustment';

/**
 * Manual adjustments with a second pair of eyes (issue 9 item 4). Every adjustment is a row: applied at once
 * (an ADJUST entry naming the staff member, ref 'adjustment' -> this row), or, for a `service` adjustment
 * above rules.adjustments.approvalAbovePoints, a pending request an admin approves or rejects. A decision
 * locks the member's account first and re-reads the row under that lock, so of two concurrent approvals one
 * applies it and the other finds it decided. Every step is audited in the same transaction.
 */
export class AdjustmentsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  /** The HTTP path: idempotent by the caller's key (a replay answers the first response and books nothing). */
  async adjust(input: AdjustInput, actor: Actor, idem: IdemRequest): Promise<Outcome<AdjustmentResponse>> {
    this.checkDebtAllowed(input, actor);
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, input.memberId),
      (m, account) => this.adjustLocked(m, account, input, actor),
    );
  }

  /**
   * For callers inside their own transaction with the member's account locked (issue 11: a dispute answered
   * with an adjustment, input.link = { type: 'dispute', id }). Same approval rule and audit as over HTTP.
   */
  async adjustLocked(m: EntityManager, account: MemberAccount, input: AdjustInput, actor: Actor): Promise<{ status: 201 | 202; body: AdjustmentResponse }> {
    invariant(account.memberId === input.memberId, 'adjustment on the locked account');
    invariant(actor.staffId !== null, 'adjustments are made by staff');
    this.checkDebtAllowed(input, actor);
    const now = this.clock().getTime();
    const pending = needsApproval(actor.role ?? '', input.points, this.rules);
    const row: Omit<Adjustment, 'id'> = {
      memberId: input.memberId,
      points: input.points,
      reason: input.reason,
      allowDebt: input.allowDebt ?? false,
      status: 'pending',
      requestedBy: actor.staffId,
      requestedName: actor.username.slice(0, 64),
      requestedRole: actor.role,
      decidedBy: null,
      decidedName: null,
      decidedRole: null,
      decidedAt: null,
      decisionNote: null,
      entryId: null,
      linkType: input.link?.type ?? null,
      linkId: input.link?.id ?? null,
      createdAt: now,
    };
    const ins = await m.getRepository(AdjustmentEntity).insert(row);
    const adj: Adjustment = { ...row, id: Number(ins.identifiers[0]!.id) };
    if (pending) {
      await this.audit.record(m, actor, { action: 'adjustment.request', targetType: 'member', targetId: adj.memberId, after: auditView(adj) });
      return { status: 202, body: { adjustment: await this.toDto(m, adj), balance: null } };
    }
    const entry = await this.book(m, account, adj);
    adj.status = 'applied';
    adj.entryId = entry.id;
    await m.getRepository(AdjustmentEntity).update({ id: adj.id }, { status: 'applied', entryId: entry.id });
    await this.audit.record(m, actor, { action: 'adjustment.apply', targetType: 'member', targetId: adj.memberId, after: { ...auditView(adj), balanceAfter: account.balance } });
    return { status: 201, body: { adjustment: await this.toDto(m, adj), balance: account.balance } };
  }

  /** Approves a pending request and books it, exactly once; the requester cannot approve their own. */
  async approve(id: number, actor: Actor, note: string | undefined): Promise<AdjustmentResponse> {
    const memberId = await this.memberOf(id);
    return this.tx.run(async (m) => {
      const account = await this.ledger.lockAccount(m, memberId);
      const adj = await this.lockedRow(m, id);
      if (adj.status !== 'pending') throw new AppError('ADJUSTMENT_DECIDED', { status: adj.status });
      if (adj.requestedBy === actor.staffId) throw new AppError('SELF_APPROVAL');
      const entry = await this.book(m, account, adj);
      const decided = this.decision(adj, actor, 'applied', note);
      const upd = await m.getRepository(AdjustmentEntity).update({ id, status: 'pending' }, { ...decided, entryId: entry.id });
      invariant(upd.affected === 1, `adjustment ${id} changed under the member lock`);
      const after = { ...adj, ...decided, entryId: entry.id };
      await this.audit.record(m, actor, { action: 'adjustment.approve', targetType: 'adjustment', targetId: id, before: auditView(adj), after: { ...auditView(after), balanceAfter: account.balance } });
      return { adjustment: await this.toDto(m, after), balance: account.balance };
    });
  }

  /** Rejects a pending request; nothing is booked. */
  async reject(id: number, actor: Actor, note: string | undefined): Promise<AdjustmentResponse> {
    const memberId = await this.memberOf(id);
    return this.tx.run(async (m) => {
      await this.ledger.lockAccount(m, memberId);
      const adj = await this.lockedRow(m, id);
      if (adj.status !== 'pending') throw new AppError('ADJUSTMENT_DECIDED', { status: adj.status });
      const decided = this.decision(adj, actor, 'rejected', note);
      const upd = await m.getRepository(AdjustmentEntity).update({ id, status: 'pending' }, decided);
      invariant(upd.affected === 1, `adjustment ${id} changed under the member lock`);
      const after = { ...adj, ...decided };
      await this.audit.record(m, actor, { action: 'adjustment.reject', targetType: 'adjustment', targetId: id, before: auditView(adj), after: auditView(after) });
      return { adjustment: await this.toDto(m, after), balance: null };
    });
  }

  /** Newest first by id, optionally by status (the (status, id) index serves the approval queue). */
  async list(status: AdjustmentStatus | undefined, cursor: number | undefined, limit: number): Promise<AdjustmentListResponse> {
    const m = this.tx.manager;
    const qb = m.getRepository(AdjustmentEntity).createQueryBuilder('a');
    if (status) qb.where('a.status = :status', { status });
    if (cursor) qb.andWhere('a.id < :cursor', { cursor });
    const rows = await qb.orderBy('a.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    return { adjustments: await this.toDtos(m, page), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** A member's adjustments, newest first (the member page). */
  async ofMember(memberId: number, limit: number, m: EntityManager = this.tx.manager): Promise<AdjustmentDto[]> {
    const rows = await m.getRepository(AdjustmentEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: limit });
    return this.toDtos(m, rows);
  }

  private checkDebtAllowed(input: AdjustInput, actor: Actor): void {
    if (input.allowDebt && actor.role !== 'admin') throw new AppError('FORBIDDEN', [{ path: 'allowDebt', message: 'only an admin may book debt' }]);
  }

  /**
   * The ledger write. Positive: a new lot. Negative: FIFO over spendable points, refused beyond them
   * (INSUFFICIENT_POINTS, nothing written); with allowDebt (admin) any live lots, then the rest as debt.
   */
  private book(m: EntityManager, account: MemberAccount, adj: Adjustment): Promise<LedgerEntry> {
    const input = { code: 'ADJUST' as const, reason: adj.reason, actor: `staff:${adj.requestedBy}`, refType: ADJUSTMENT_REF, refId: String(adj.id) };
    if (adj.points > 0) return this.ledger.credit(m, account, adj.points, input);
    if (adj.allowDebt) return this.ledger.reverse(m, account, -adj.points, { refType: ADJUSTMENT_REF, refId: String(adj.id) }, input);
    return this.ledger.debit(m, account, -adj.points, input);
  }

  private decision(adj: Adjustment, actor: Actor, status: 'applied' | 'rejected', note: string | undefined) {
    return {
      status,
      decidedBy: actor.staffId,
      decidedName: actor.username.slice(0, 64),
      decidedRole: actor.role,
      decidedAt: this.clock().getTime(),
      decisionNote: note ? note.slice(0, 255) : null,
    } satisfies Partial<Adjustment>;
  }

  private async memberOf(id: number): Promise<number> {
    const adj = await this.tx.manager.getRepository(AdjustmentEntity).findOne({ where: { id }, select: { id: true, memberId: true } });
    if (!adj) throw new AppError('NOT_FOUND');
    return adj.memberId;
  }

  private async lockedRow(m: EntityManager, id: number): Promise<Adjustment> {
    const adj = await this.tx.forUpdate(m.getRepository(AdjustmentEntity).createQueryBuilder('a').where('a.id = :id', { id })).getOne();
    if (!adj) throw new AppError('NOT_FOUND');
    return adj;
  }

  private async toDto(m: EntityManager, a: Adjustment): Promise<AdjustmentDto> {
    return (await this.toDtos(m, [a]))[0]!;
  }

  private async toDtos(m: EntityManager, rows: Adjustment[]): Promise<AdjustmentDto[]> {
    if (rows.length === 0) return [];
    const members = await m.getRepository(MemberEntity).find({ where: { id: In([...new Set(rows.map((r) => r.memberId))]) }, select: { id: true, nickname: true } });
    const names = new Map(members.map((x) => [x.id, x.nickname]));
    return rows.map((a) => toAdjustmentDto(a, names.get(a.memberId) ?? ''));
  }
}

function auditView(a: Adjustment) {
  return { id: a.id, memberId: a.memberId, points: a.points, reason: a.reason, allowDebt: a.allowDebt, status: a.status, entryId: a.entryId, link: a.linkType ? `${a.linkType}:${a.linkId}` : null };
}

const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());

/** The explicit mapper: staff see who asked and who decided; nothing else of the row leaves the server. */
export function toAdjustmentDto(a: Adjustment, memberNickname: string): AdjustmentDto {
  return {
    id: a.id,
    memberId: a.memberId,
    memberNickname,
    points: a.points,
    reason: a.reason,
    allowDebt: a.allowDebt,
    status: a.status,
    requestedBy: { id: a.requestedBy, username: a.requestedName, role: (a.requestedRole as StaffRole | null) ?? null },
    decidedBy: a.decidedBy === null ? null : { id: a.decidedBy, username: a.decidedName ?? '', role: (a.decidedRole as StaffRole | null) ?? null },
    decidedAt: iso(a.decidedAt),
    decisionNote: a.decisionNote,
    entryId: a.entryId,
    link: a.linkType && a.linkId ? { type: a.linkType, id: a.linkId } : null,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}
