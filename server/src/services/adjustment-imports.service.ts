import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  ADJUST_POINTS_MAX,
  IMPORT_BYTES_MAX,
  IMPORT_ROWS_MAX,
  adjustmentReason,
  memberNumber,
  normalizePhone,
  type ImportCommitResponse,
  type ImportDto,
  type ImportPreviewResponse,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { AdjustmentImportEntity, AdjustmentImportRowEntity, MemberEntity, type AdjustmentImport, type AdjustmentImportRow, type LedgerEntry } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import type { LedgerService } from './ledger.service';
import { csvCell, decodeCsv, isHeader, parseCsv, pointsCell, type CsvRecord } from './import-csv';

export const IMPORT_REF = 'adjustment_import';
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 500;

type RowDraft = Omit<AdjustmentImportRow, 'id' | 'importId'>;

/**
 * Bulk adjustments from a CSV (issue 9 item 5). The upload is parsed, checked and stored with every row
 * (valid ones 'pending', bad ones 'invalid' with the reason) and answered as a preview; nothing touches the
 * ledger. Commit applies the pending rows in batches of batchRows: each batch is one transaction that first
 * locks the import row, then the members' accounts in id order, books each row (ADJUST, ref
 * adjustment_import/<import>:<line>) and marks it applied or failed, and moves next_line. So two commits at
 * once take turns and the second finds nothing left; a crash loses only the batch in flight (rolled back),
 * and the next commit continues from next_line: every row is applied exactly once.
 */
export class AdjustmentImportsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly batchRows = 250,
  ) {}

  async preview(bytes: Buffer, fileName: string | null, actor: Actor): Promise<ImportPreviewResponse> {
    if (bytes.length > IMPORT_BYTES_MAX) throw new AppError('IMPORT_TOO_LARGE', { bytesMax: IMPORT_BYTES_MAX });
    const records = parseCsv(decodeCsv(bytes));
    const data = records.length > 0 && isHeader(records[0]!) ? records.slice(1) : records;
    if (data.length === 0) throw new AppError('VALIDATION_FAILED', [{ path: 'body', message: 'the file has no rows' }]);
    if (data.length > IMPORT_ROWS_MAX) throw new AppError('IMPORT_TOO_LARGE', { rowsMax: IMPORT_ROWS_MAX });
    const drafts = await this.check(data);
    const valid = drafts.filter((d) => d.status === 'pending');
    const totalPoints = valid.reduce((s, d) => s + d.points, 0);
    const now = this.clock().getTime();
    const header: Omit<AdjustmentImport, 'id'> = {
      fileName: fileName ? fileName.slice(0, 100) : null,
      status: 'previewed',
      rowCount: drafts.length,
      validCount: valid.length,
      invalidCount: drafts.length - valid.length,
      totalPoints,
      appliedCount: 0,
      failedCount: 0,
      nextLine: 0,
      contentSha256: createHash('sha256').update(bytes).digest('hex'),
      createdBy: actor.staffId ?? 0,
      createdName: actor.username.slice(0, 64),
      createdAt: now,
      committedBy: null,
      commitStartedAt: null,
      committedAt: null,
    };
    const id = await this.tx.run(async (m) => {
      const ins = await m.getRepository(AdjustmentImportEntity).insert(header);
      const importId = Number(ins.identifiers[0]!.id);
      for (let i = 0; i < drafts.length; i += INSERT_CHUNK) {
        await m.getRepository(AdjustmentImportRowEntity).insert(drafts.slice(i, i + INSERT_CHUNK).map((d) => ({ ...d, importId })));
      }
      await this.audit.record(m, actor, {
        action: 'adjustment_import.create',
        targetType: 'adjustment_import',
        targetId: importId,
        after: { fileName: header.fileName, rows: header.rowCount, valid: header.validCount, invalid: header.invalidCount, totalPoints, sha256: header.contentSha256 },
      });
      return importId;
    });
    return { id, valid: valid.length, invalid: invalidOf(drafts), totalPoints };
  }

  async get(id: number): Promise<ImportDto> {
    const imp = await this.find(this.tx.manager, id);
    const bad = await this.tx.manager.getRepository(AdjustmentImportRowEntity).find({ where: { importId: id, status: 'invalid' }, order: { line: 'ASC' }, select: { line: true, error: true } });
    return {
      id: imp.id,
      fileName: imp.fileName,
      status: imp.status,
      rows: imp.rowCount,
      valid: imp.validCount,
      invalid: bad.map((r) => ({ line: r.line, reason: r.error ?? '' })),
      totalPoints: imp.totalPoints,
      applied: imp.appliedCount,
      failed: imp.failedCount,
      createdBy: imp.createdName,
      createdAt: new Date(imp.createdAt).toISOString(),
      committedAt: imp.committedAt === null ? null : new Date(imp.committedAt).toISOString(),
    };
  }

  /** Applies the import (or continues it); whoever calls, however often, each row is booked once. */
  async commit(id: number, actor: Actor): Promise<ImportCommitResponse> {
    await this.tx.run(async (m) => {
      const imp = await this.lock(m, id);
      if (imp.status !== 'previewed') return;
      const now = this.clock().getTime();
      await m.getRepository(AdjustmentImportEntity).update({ id }, { status: 'committing', committedBy: actor.staffId, commitStartedAt: now });
      await this.audit.record(m, actor, { action: 'adjustment_import.commit', targetType: 'adjustment_import', targetId: id, before: { status: 'previewed' }, after: { status: 'committing', valid: imp.validCount, totalPoints: imp.totalPoints } });
    });
    const stepsMax = Math.ceil(IMPORT_ROWS_MAX / this.batchRows) + 2;
    for (let i = 0; i < stepsMax; i++) {
      if (await this.step(id, actor)) break;
    }
    const imp = await this.find(this.tx.manager, id);
    invariant(imp.status === 'committed', `import ${id} finished within ${stepsMax} batches`);
    return { id, applied: imp.appliedCount, failed: imp.failedCount, status: imp.status };
  }

  /** One batch in one transaction; true when nothing is left (the import is then marked committed). */
  async step(id: number, actor: Actor): Promise<boolean> {
    return this.tx.run(async (m) => {
      const imp = await this.lock(m, id);
      if (imp.status === 'committed') return true;
      invariant(imp.status === 'committing', `import ${id} is committing`);
      const rows = await m
        .getRepository(AdjustmentImportRowEntity)
        .createQueryBuilder('r')
        .where('r.import_id = :id AND r.line > :after', { id, after: imp.nextLine })
        .orderBy('r.line', 'ASC')
        .limit(this.batchRows)
        .getMany();
      const now = this.clock().getTime();
      if (rows.length === 0) {
        await m.getRepository(AdjustmentImportEntity).update({ id }, { status: 'committed', committedAt: now });
        await this.audit.record(m, actor, { action: 'adjustment_import.committed', targetType: 'adjustment_import', targetId: id, after: { applied: imp.appliedCount, failed: imp.failedCount } });
        return true;
      }
      const pending = rows.filter((r) => r.status === 'pending');
      // Accounts locked in one statement in member id order: a concurrent purchase holds at most one of them.
      const accounts = await this.ledger.lockAccounts(m, pending.map((r) => r.memberId!));
      const applied: { row: AdjustmentImportRow; entry: LedgerEntry }[] = [];
      const failed: AdjustmentImportRow[] = [];
      const inputOf = (row: AdjustmentImportRow) => ({ code: 'ADJUST' as const, reason: row.reason, actor: `staff:${imp.committedBy ?? actor.staffId}`, refType: IMPORT_REF, refId: `${id}:${row.line}` });
      // A member with a debit in this batch is booked row by row in line order (a debit may fail); everyone
      // else's credits go through the ledger's multi-row path, a handful of statements for the whole batch.
      const withDebit = new Set(pending.filter((r) => r.points < 0).map((r) => r.memberId!));
      for (const row of pending.filter((r) => withDebit.has(r.memberId!))) {
        const account = accounts.get(row.memberId!)!;
        try {
          const entry = row.points > 0 ? await this.ledger.credit(m, account, row.points, inputOf(row)) : await this.ledger.debit(m, account, -row.points, inputOf(row));
          applied.push({ row, entry });
        } catch (e) {
          // A debit beyond the member's points is refused before anything is written: that row fails, the batch goes on.
          if (!(e instanceof AppError && e.code === 'INSUFFICIENT_POINTS')) throw e;
          failed.push(row);
        }
      }
      const credits = pending.filter((r) => !withDebit.has(r.memberId!));
      const entries = await this.ledger.creditMany(m, credits.map((row) => ({ account: accounts.get(row.memberId!)!, points: row.points, input: inputOf(row) })));
      credits.forEach((row, i) => applied.push({ row, entry: entries[i]! }));
      if (applied.length > 0) {
        const ids = applied.map((a) => a.row.id);
        const cases = applied.map(() => 'WHEN ? THEN ?').join(' ');
        const res = await m.query(
          `UPDATE adjustment_import_row SET status = 'applied', entry_id = CASE id ${cases} END WHERE status = 'pending' AND id IN (${ids.map(() => '?').join(',')})`,
          [...applied.flatMap((a) => [a.row.id, a.entry.id]), ...ids],
        );
        invariant(affectedOf(res) === undefined || affectedOf(res) === applied.length, `import ${id}: rows changed under the import lock`);
      }
      if (failed.length > 0) {
        await m.getRepository(AdjustmentImportRowEntity).update({ id: In(failed.map((r) => r.id)), status: 'pending' }, { status: 'failed', error: '积分不足,未扣减' });
      }
      await m.getRepository(AdjustmentImportEntity).update(
        { id },
        { nextLine: rows[rows.length - 1]!.line, appliedCount: imp.appliedCount + applied.length, failedCount: imp.failedCount + failed.length },
      );
      return false;
    });
  }

  /** The result as CSV for Excel: UTF-8 with BOM, CRLF, one line per file line with its outcome. */
  async resultCsv(id: number): Promise<{ fileName: string; body: string }> {
    const imp = await this.find(this.tx.manager, id);
    const rows = await this.tx.manager.getRepository(AdjustmentImportRowEntity).find({ where: { importId: id }, order: { line: 'ASC' } });
    const STATUS: Record<AdjustmentImportRow['status'], string> = { applied: '已入账', failed: '失败', invalid: '无效', pending: '未处理' };
    const lines = [['行号', '会员(文件中)', '会员号', '积分', '原因', '结果', '说明', '流水号'].join(',')];
    for (const r of rows) {
      const points = r.status === 'invalid' && r.points === 0 ? null : r.points;
      const cells = [r.line, r.memberKey, r.memberId === null ? null : memberNumber(r.memberId), points, r.reason, STATUS[r.status], r.error, r.entryId];
      lines.push(cells.map(csvCell).join(','));
    }
    return { fileName: `import-${imp.id}-result.csv`, body: `\ufeff${lines.join('\r\n')}\r\n` };
  }

  /** Checks every line: the member exists (by phone or member number), points a non-zero integer, a reason. */
  private async check(records: CsvRecord[]): Promise<RowDraft[]> {
    const keys = records.map((r) => memberKey(r.cells[0] ?? ''));
    const byPhone = await this.lookup('phone', keys.flatMap((k) => (k.phone ? [k.phone] : [])));
    const byId = await this.lookup('id', keys.flatMap((k) => (k.id ? [k.id] : [])));
    return records.map((r, i) => {
      const parsedPoints = pointsCell(r.cells[1] ?? '');
      const draft: RowDraft = {
        line: r.line,
        memberKey: (r.cells[0] ?? '').slice(0, 64),
        memberId: null,
        points: parsedPoints !== null && Math.abs(parsedPoints) <= ADJUST_POINTS_MAX ? parsedPoints : 0,
        reason: (r.cells[2] ?? '').slice(0, 255),
        status: 'invalid',
        error: null,
        entryId: null,
      };
      const bad = (error: string) => ({ ...draft, error });
      if (r.cells.length < 3) return bad('列数不足:需要 会员(手机号或会员号)、积分、原因 三列');
      if (r.cells.length > 3 && r.cells.slice(3).some((c) => c !== '')) return bad('列数过多:原因里的逗号请用英文双引号括起来');
      const k = keys[i]!;
      if (!k.phone && !k.id) return bad('会员格式不对:应为 11 位手机号或会员号');
      const memberId = byId.get(String(k.id)) ?? (k.phone ? byPhone.get(k.phone) : undefined);
      if (!memberId) return bad(k.phone ? '找不到绑定该手机号的会员' : '找不到该会员号');
      if (parsedPoints === null) return bad('积分必须是整数');
      if (parsedPoints === 0) return bad('积分不能为 0');
      if (Math.abs(parsedPoints) > ADJUST_POINTS_MAX) return bad(`单行积分不能超过 ${ADJUST_POINTS_MAX.toLocaleString('en-US')}`);
      const reason = adjustmentReason.safeParse(r.cells[2] ?? '');
      if (!reason.success) return bad('原因必填,2 到 100 个字');
      return { ...draft, memberId, reason: reason.data, status: 'pending' as const };
    });
  }

  /** Members by phone (uq_member_phone) or id (primary key), IN-lists of LOOKUP_CHUNK. */
  private async lookup(by: 'phone' | 'id', values: (string | number)[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      const chunk = unique.slice(i, i + LOOKUP_CHUNK);
      const rows = await this.tx.manager.getRepository(MemberEntity).find({ where: by === 'phone' ? { phone: In(chunk as string[]) } : { id: In(chunk as number[]) }, select: { id: true, phone: true } });
      for (const r of rows) out.set(by === 'phone' ? r.phone! : String(r.id), r.id);
    }
    return out;
  }

  private async find(m: EntityManager, id: number): Promise<AdjustmentImport> {
    const imp = await m.getRepository(AdjustmentImportEntity).findOne({ where: { id } });
    if (!imp) throw new AppError('NOT_FOUND');
    return imp;
  }

  private async lock(m: EntityManager, id: number): Promise<AdjustmentImport> {
    const imp = await this.tx.forUpdate(m.getRepository(AdjustmentImportEntity).createQueryBuilder('i').where('i.id = :id', { id })).getOne();
    if (!imp) throw new AppError('NOT_FOUND');
    return imp;
  }
}

/** The first column: an 11-digit mobile (or +86…) is a phone; otherwise digits are a member number (000123). */
function memberKey(cell: string): { phone: string | null; id: number | null } {
  const phone = normalizePhone(cell);
  if (phone) return { phone, id: null };
  const m = /^0*([1-9]\d{0,9})$/.exec(cell.trim());
  return { phone: null, id: m && Number(m[1]) <= 2_147_483_647 ? Number(m[1]) : null };
}

function invalidOf(drafts: RowDraft[]) {
  return drafts.filter((d) => d.status === 'invalid').map((d) => ({ line: d.line, reason: d.error ?? '' }));
}

/** Rows changed by a raw UPDATE: mysql2 answers { affectedRows }, TypeORM's SQLite driver { changes } or nothing. */
function affectedOf(res: unknown): number | undefined {
  const r = res as { affectedRows?: number; changes?: number } | undefined;
  return r?.affectedRows ?? r?.changes;
}
