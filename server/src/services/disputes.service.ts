import { In, type EntityManager } from 'typeorm';
import {
  DISPUTE_LIST_MAX,
  DISPUTE_OPEN_MAX,
  disputeDueAt,
  disputeTiming,
  type AdminDisputeDto,
  type AdminDisputeListResponse,
  type DisputeDto,
  type DisputeStatus,
  type RulesConfig,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { AdjustmentEntity, DisputeEntity, LedgerEntryEntity, MemberEntity, type Dispute } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import type { AdjustmentsService } from './adjustments.service';
import type { IdemRequest, IdempotencyService, Outcome } from './idempotency.service';
import type { Actor, AuditService } from './audit.service';
import type { PrivateUploadsService } from './private-uploads.service';
import { notify } from './outbox';

export interface FileDisputeInput {
  entryId?: number;
  text: string;
  images?: string[];
}

export interface AnswerDisputeInput {
  text: string;
  adjustPoints?: number;
}

/** What the health report counts (issue 11 item 2): answers in a window and how many met the deadline. */
export interface DisputeSlaStats {
  answered: number;
  answeredInTime: number;
  /** Open now and past the deadline. */
  overdueOpen: number;
}

/**
 * Disputes (积分申诉, issue 11 item 2). Every write locks the member's account first (the one lock order of the
 * ledger), then reads the dispute under it: an answer and the member's close cannot both win, and an answer's
 * adjustment (AdjustmentsService.adjustLocked, linked {type:'dispute', id}) is booked in the same transaction
 * as the answer and the member's notice.
 */
export class DisputesService {
  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly adjustments: AdjustmentsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
    private readonly uploads: PrivateUploadsService,
  ) {}

  /**
   * Files a dispute; idempotent by the member's key. The entry, if named, must be the member's own (else 404);
   * each image must be the member's own private upload (POST /me/uploads), else 400 and nothing is written. The
   * dispute keeps the file names (the owner is the dispute's member); reads sign fresh URLs.
   */
  async file(memberId: number, input: FileDisputeInput, idem: IdemRequest): Promise<Outcome<{ dispute: DisputeDto }>> {
    const images = input.images ? await this.uploads.ownFiles(memberId, input.images) : [];
    if (!images) throw new AppError('VALIDATION_FAILED', [{ path: 'images', message: 'upload the image first (POST /me/uploads); only your own uploads can be attached' }]);
    return this.idempotency.run(
      idem,
      (m) => this.ledger.lockAccount(m, memberId),
      async (m) => {
        if (input.entryId !== undefined) {
          const entry = await m.getRepository(LedgerEntryEntity).findOne({ where: { id: input.entryId, memberId }, select: { id: true } });
          if (!entry) throw new AppError('NOT_FOUND', [{ path: 'entryId', message: 'no such entry of yours' }]);
        }
        const open = await m.getRepository(DisputeEntity).count({ where: { memberId, status: 'open' } });
        if (open >= DISPUTE_OPEN_MAX) throw new AppError('DISPUTE_LIMIT', { openMax: DISPUTE_OPEN_MAX });
        const now = this.clock().getTime();
        const row: Omit<Dispute, 'id'> = {
          memberId,
          entryId: input.entryId ?? null,
          text: input.text,
          images: images.length > 0 ? JSON.stringify(images) : null,
          status: 'open',
          createdAt: now,
          dueAt: disputeDueAt(now, this.rules.disputes.slaDays),
          answerText: null,
          answerPoints: null,
          answeredBy: null,
          answeredName: null,
          answeredAt: null,
          adjustmentId: null,
          closedAt: null,
        };
        const ins = await m.getRepository(DisputeEntity).insert(row);
        const d: Dispute = { ...row, id: Number(ins.identifiers[0]!.id) };
        return { status: 201, body: { dispute: (await this.memberDtos(m, [d]))[0]! } };
      },
    );
  }

  async mine(memberId: number): Promise<{ disputes: DisputeDto[] }> {
    const m = this.tx.manager;
    const rows = await m.getRepository(DisputeEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: DISPUTE_LIST_MAX });
    return { disputes: await this.memberDtos(m, rows) };
  }

  /** The member's last word: withdraws an open dispute or settles an answered one. */
  async close(memberId: number, id: number): Promise<{ dispute: DisputeDto }> {
    return this.tx.run(async (m) => {
      await this.ledger.lockAccount(m, memberId);
      const d = await this.lockedRow(m, id);
      if (d.memberId !== memberId) throw new AppError('NOT_FOUND');
      if (d.status === 'closed') throw new AppError('DISPUTE_CLOSED', { status: d.status });
      const closedAt = this.clock().getTime();
      await m.getRepository(DisputeEntity).update({ id }, { status: 'closed', closedAt });
      return { dispute: (await this.memberDtos(m, [{ ...d, status: 'closed', closedAt }]))[0]! };
    });
  }

  // ---- staff --------------------------------------------------------------------------------------

  /**
   * The queue. Open disputes soonest deadline first (so overdue ones lead); answered and closed newest first.
   * Without a status: the open ones, then the others, up to the limit.
   */
  async queue(status: DisputeStatus | undefined, limit: number): Promise<AdminDisputeListResponse> {
    invariant(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'dispute page limit within 1..100');
    const m = this.tx.manager;
    const repo = m.getRepository(DisputeEntity);
    const now = this.clock().getTime();
    let rows: Dispute[] = [];
    if (status === undefined || status === 'open') rows = await repo.find({ where: { status: 'open' }, order: { dueAt: 'ASC', id: 'ASC' }, take: limit });
    if (status !== 'open' && rows.length < limit) {
      const rest = await repo.find({ where: { status: In(status ? [status] : ['answered', 'closed']) }, order: { id: 'DESC' }, take: limit - rows.length });
      rows = rows.concat(rest);
    }
    const open = await repo.count({ where: { status: 'open' } });
    const overdue = await this.overdueCount(m, now);
    return { disputes: await this.adminDtos(m, rows, now), counts: { open, overdue }, slaDays: this.rules.disputes.slaDays };
  }

  /** Open disputes past their deadline now (the admin dashboard's card). */
  async overdueCount(m: EntityManager = this.tx.manager, nowMs: number = this.clock().getTime()): Promise<number> {
    return m.getRepository(DisputeEntity).createQueryBuilder('d').where("d.status = 'open' AND d.due_at < :now", { now: nowMs }).getCount();
  }

  /**
   * Answers an open dispute, once: the answer, an optional adjustment linked to the dispute (applied, or pending
   * an admin's approval when a service answer is above the approval size), the member's notice and the audit
   * row, in one transaction.
   */
  async answer(id: number, input: AnswerDisputeInput, actor: Actor): Promise<{ dispute: AdminDisputeDto }> {
    invariant(actor.staffId !== null, 'disputes are answered by staff');
    const found = await this.tx.manager.getRepository(DisputeEntity).findOne({ where: { id }, select: { id: true, memberId: true } });
    if (!found) throw new AppError('NOT_FOUND');
    return this.tx.run(async (m) => {
      const account = await this.ledger.lockAccount(m, found.memberId);
      const d = await this.lockedRow(m, id);
      if (d.status !== 'open') throw new AppError('DISPUTE_CLOSED', { status: d.status });
      const now = this.clock().getTime();
      let adjustmentId: number | null = null;
      if (input.adjustPoints !== undefined) {
        const out = await this.adjustments.adjustLocked(m, account, { memberId: d.memberId, points: input.adjustPoints, reason: `积分申诉 #${d.id} 处理`, link: { type: 'dispute', id: String(d.id) } }, actor);
        adjustmentId = out.body.adjustment.id;
      }
      const answered = { status: 'answered' as const, answerText: input.text, answerPoints: input.adjustPoints ?? null, answeredBy: actor.staffId, answeredName: actor.username.slice(0, 64), answeredAt: now, adjustmentId };
      const upd = await m.getRepository(DisputeEntity).update({ id, status: 'open' }, answered);
      invariant(upd.affected === 1, `dispute ${id} changed under the member lock`);
      const after: Dispute = { ...d, ...answered };
      const points = input.adjustPoints ? `,${input.adjustPoints > 0 ? '补发' : '扣回'} ${Math.abs(input.adjustPoints)} 分` : '';
      await notify(m, { memberId: d.memberId, kind: 'DISPUTE_ANSWERED', title: '您的积分申诉已答复', body: `申诉 #${d.id} 已答复${points}:${input.text}`, dedupeKey: `dispute:${d.id}:answered` }, now);
      await this.audit.record(m, actor, {
        action: 'dispute.answer',
        targetType: 'dispute',
        targetId: d.id,
        before: { status: d.status },
        after: { status: 'answered', memberId: d.memberId, adjustPoints: input.adjustPoints ?? null, adjustmentId, inTime: now <= d.dueAt },
      });
      return { dispute: (await this.adminDtos(m, [after], now))[0]! };
    });
  }

  /** Answers whose answer fell in [fromMs, toMs), and how many by their deadline; open ones overdue now. */
  async slaStats(fromMs: number, toMs: number): Promise<DisputeSlaStats> {
    const m = this.tx.manager;
    const base = () => m.getRepository(DisputeEntity).createQueryBuilder('d').where('d.answered_at >= :fromMs AND d.answered_at < :toMs', { fromMs, toMs });
    const answered = await base().getCount();
    const answeredInTime = await base().andWhere('d.answered_at <= d.due_at').getCount();
    return { answered, answeredInTime, overdueOpen: await this.overdueCount(m) };
  }

  // ---- rows and mappers ---------------------------------------------------------------------------

  /** A stored image as a signed URL; a row from before images were private kept its public URL. */
  private imageUrl(memberId: number, stored: string): string {
    return stored.startsWith('/') ? stored : this.uploads.signedUrl(memberId, stored);
  }

  private async lockedRow(m: EntityManager, id: number): Promise<Dispute> {
    const d = await this.tx.forUpdate(m.getRepository(DisputeEntity).createQueryBuilder('d').where('d.id = :id', { id })).getOne();
    if (!d) throw new AppError('NOT_FOUND');
    return d;
  }

  private async memberDtos(m: EntityManager, rows: Dispute[]): Promise<DisputeDto[]> {
    const ids = [...new Set(rows.map((r) => r.entryId).filter((x): x is number => x !== null))];
    const entries = ids.length ? await m.getRepository(LedgerEntryEntity).find({ where: { id: In(ids) } }) : [];
    const byId = new Map(entries.map((e) => [e.id, e]));
    return rows.map((d) => {
      const e = d.entryId !== null ? byId.get(d.entryId) : undefined;
      return {
        id: d.id,
        entry: e ? { id: e.id, code: e.code, delta: e.delta, reason: e.reason, createdAt: iso(e.createdAt) } : null,
        text: d.text,
        images: d.images ? (JSON.parse(d.images) as string[]).map((f) => this.imageUrl(d.memberId, f)) : [],
        status: d.status,
        createdAt: iso(d.createdAt),
        dueAt: iso(d.dueAt),
        answer: d.answeredAt !== null ? { text: d.answerText ?? '', adjustPoints: d.answerPoints, answeredAt: iso(d.answeredAt) } : null,
        closedAt: d.closedAt !== null ? iso(d.closedAt) : null,
      };
    });
  }

  private async adminDtos(m: EntityManager, rows: Dispute[], nowMs: number): Promise<AdminDisputeDto[]> {
    if (rows.length === 0) return [];
    const base = await this.memberDtos(m, rows);
    const members = await m.getRepository(MemberEntity).find({ where: { id: In([...new Set(rows.map((r) => r.memberId))]) }, select: { id: true, nickname: true } });
    const names = new Map(members.map((x) => [x.id, x.nickname]));
    const adjIds = rows.map((r) => r.adjustmentId).filter((x): x is number => x !== null);
    const adjs = adjIds.length ? await m.getRepository(AdjustmentEntity).find({ where: { id: In(adjIds) }, select: { id: true, points: true, status: true } }) : [];
    const adjById = new Map(adjs.map((a) => [a.id, a]));
    return rows.map((d, i) => {
      const t = disputeTiming(d, nowMs);
      const a = d.adjustmentId !== null ? adjById.get(d.adjustmentId) : undefined;
      return {
        ...base[i]!,
        member: { id: d.memberId, nickname: names.get(d.memberId) ?? '' },
        answeredBy: d.answeredName,
        msLeft: t.msLeft,
        overdue: t.overdue,
        answeredInTime: t.answeredInTime,
        adjustment: a ? { id: a.id, points: a.points, status: a.status } : null,
      };
    });
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
