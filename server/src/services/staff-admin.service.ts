import { In, type EntityManager } from 'typeorm';
import { STAFF_LIST_MAX, stripUnsafeText, type StaffAdminDto, type StaffListQuery, type StaffRole } from '@jifen/shared';
import { AppError } from '../errors';
import { StaffEntity, StoreEntity, type Staff, type Store } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import type { StaffService } from './staff.service';
import { generatePassword, hashPassword } from './passwords';

/** What an admin (or the CLI) may change on an account; absent fields stay as they are. */
export interface StaffChange {
  role?: StaffRole;
  /** A clerk's store; when the role changes away from clerk and this is absent, the store is cleared. */
  storeId?: number | null;
  disabled?: boolean;
  displayName?: string;
}

/** The account as the audit trail records it (never the password hash). */
function snapshot(s: Staff) {
  return { username: s.username, displayName: s.displayName, role: s.role, storeId: s.storeId, disabled: s.disabled, sessionVersion: s.sessionVersion };
}

const LIKE_ESCAPE = '!';
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);

/**
 * Staff accounts for the back office and the `npm run staff` CLI (issue 8 item 2, issue 9 item 6): one
 * method per change, each one transaction that also writes its audit row. Any change of access (disable,
 * enable, role, store, password) bumps the account's session version in that transaction, so the tokens
 * it had stop at their next request on every instance (StaffService.session).
 * Rules: a clerk belongs to exactly one open store, other roles to none; nobody disables, demotes or resets
 * their own account here; the last enabled admin cannot be disabled or demoted.
 */
export class StaffAdminService {
  constructor(
    private readonly tx: TxRunner,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(q: StaffListQuery = {}): Promise<{ staff: StaffAdminDto[]; truncated: boolean }> {
    const qb = this.tx.manager.getRepository(StaffEntity).createQueryBuilder('s');
    if (q.role) qb.andWhere('s.role = :role', { role: q.role });
    if (q.storeId) qb.andWhere('s.store_id = :storeId', { storeId: q.storeId });
    if (q.status) qb.andWhere('s.disabled = :disabled', { disabled: q.status === 'disabled' });
    const text = q.q ? stripUnsafeText(q.q) : '';
    if (text) {
      qb.andWhere(`(s.username LIKE :prefix ESCAPE '${LIKE_ESCAPE}' OR s.display_name LIKE :part ESCAPE '${LIKE_ESCAPE}')`, {
        prefix: `${likeEscape(text.toLowerCase())}%`,
        part: `%${likeEscape(text)}%`,
      });
    }
    const rows = await qb.orderBy('s.username', 'ASC').take(STAFF_LIST_MAX + 1).getMany();
    const page = rows.slice(0, STAFF_LIST_MAX);
    const stores = await this.storeMap(this.tx.manager, page);
    return { staff: page.map((s) => this.toDto(s, stores)), truncated: rows.length > STAFF_LIST_MAX };
  }

  async get(id: number): Promise<StaffAdminDto> {
    const row = await this.tx.manager.getRepository(StaffEntity).findOne({ where: { id } });
    if (!row) throw new AppError('NOT_FOUND');
    return this.toDto(row, await this.storeMap(this.tx.manager, [row]));
  }

  /** The account id for a username (the CLI names accounts by username), or null. */
  async idOf(username: string): Promise<number | null> {
    const row = await this.tx.manager.getRepository(StaffEntity).findOne({ where: { username: username.trim().toLowerCase() } });
    return row?.id ?? null;
  }

  /** Creates an account; the password is generated unless given (the CLI may give one) and answered once. */
  async create(actor: Actor, input: { username: string; displayName?: string; role: StaffRole; storeId?: number | null; password?: string }): Promise<{ staff: StaffAdminDto; password: string }> {
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password); // slow on purpose: outside the transaction
    try {
      const staff = await this.tx.run(async (m) => {
        const repo = m.getRepository(StaffEntity);
        const username = input.username.trim().toLowerCase();
        if (await repo.findOne({ where: { username } })) throw new AppError('USERNAME_TAKEN');
        const storeId = input.storeId ?? null;
        checkStoreRule(input.role, storeId);
        if (storeId !== null) await this.openStore(m, storeId);
        const row = { username, displayName: stripUnsafeText(input.displayName ?? ''), passwordHash, role: input.role, storeId, disabled: false, sessionVersion: 0, createdAt: this.clock().getTime() };
        const ins = await repo.insert(row);
        const created: Staff = { ...row, id: Number(ins.identifiers[0]!.id) };
        await this.audit.record(m, actor, { action: 'staff.create', targetType: 'staff', targetId: created.id, before: null, after: snapshot(created) });
        return this.toDto(created, await this.storeMap(m, [created]));
      });
      return { staff, password };
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('USERNAME_TAKEN'); // a concurrent create of the same name
      throw e;
    }
  }

  disable(actor: Actor, id: number): Promise<StaffAdminDto> {
    return this.update(actor, id, { disabled: true });
  }

  enable(actor: Actor, id: number): Promise<StaffAdminDto> {
    return this.update(actor, id, { disabled: false });
  }

  changeRole(actor: Actor, id: number, role: StaffRole, storeId?: number | null): Promise<StaffAdminDto> {
    return this.update(actor, id, storeId === undefined ? { role } : { role, storeId });
  }

  changeStore(actor: Actor, id: number, storeId: number): Promise<StaffAdminDto> {
    return this.update(actor, id, { storeId });
  }

  /**
   * Applies a change in one transaction (PATCH /admin/staff/:id sends any mix). A change that changes
   * nothing writes nothing (no audit row, sessions kept). One audit row per call, named after its most
   * significant part: disable/enable, then role, then store, then name.
   */
  async update(actor: Actor, id: number, change: StaffChange): Promise<StaffAdminDto> {
    return this.tx.run(async (m) => {
      const repo = m.getRepository(StaffEntity);
      const row = await this.tx.forUpdate(repo.createQueryBuilder('s').where('s.id = :id', { id })).getOne();
      if (!row) throw new AppError('NOT_FOUND');
      const role = change.role ?? row.role;
      const storeId = change.storeId !== undefined ? change.storeId : role === 'clerk' ? row.storeId : null;
      const disabled = change.disabled ?? row.disabled;
      const displayName = change.displayName !== undefined ? stripUnsafeText(change.displayName) : row.displayName;
      checkStoreRule(role, storeId);
      const changed = { role: role !== row.role, store: storeId !== row.storeId, disabled: disabled !== row.disabled, name: displayName !== row.displayName };
      if (!changed.role && !changed.store && !changed.disabled && !changed.name) return this.toDto(row, await this.storeMap(m, [row]));

      if (changed.store && storeId !== null) await this.openStore(m, storeId);
      const losesAdmin = row.role === 'admin' && !row.disabled && (role !== 'admin' || disabled);
      if (actor.staffId === id && (changed.disabled || changed.role || changed.store)) throw new AppError('SELF_LOCKOUT');
      if (losesAdmin) await this.keepAnAdmin(m, id);

      const accessChanged = changed.role || changed.store || changed.disabled;
      const next: Staff = { ...row, role, storeId, disabled, displayName, sessionVersion: accessChanged ? row.sessionVersion + 1 : row.sessionVersion };
      await repo.update({ id }, { role, storeId, disabled, displayName, sessionVersion: next.sessionVersion });
      const action = changed.disabled ? (disabled ? 'staff.disable' : 'staff.enable') : changed.role ? 'staff.role' : changed.store ? 'staff.store' : 'staff.rename';
      await this.audit.record(m, actor, { action, targetType: 'staff', targetId: id, before: snapshot(row), after: snapshot(next) });
      return this.toDto(next, await this.storeMap(m, [next]));
    });
  }

  /** Sets a new password (generated unless given) and ends the account's sessions; the password is answered once. */
  async resetPassword(actor: Actor, id: number, given?: string): Promise<{ staff: StaffAdminDto; password: string }> {
    if (actor.staffId === id) throw new AppError('SELF_LOCKOUT');
    const password = given ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const staff = await this.tx.run(async (m) => {
      const repo = m.getRepository(StaffEntity);
      const row = await this.tx.forUpdate(repo.createQueryBuilder('s').where('s.id = :id', { id })).getOne();
      if (!row) throw new AppError('NOT_FOUND');
      const next: Staff = { ...row, passwordHash, sessionVersion: row.sessionVersion + 1 };
      await repo.update({ id }, { passwordHash, sessionVersion: next.sessionVersion });
      await this.audit.record(m, actor, { action: 'staff.password_reset', targetType: 'staff', targetId: id, before: snapshot(row), after: { ...snapshot(next), passwordReset: true } });
      return this.toDto(next, await this.storeMap(m, [next]));
    });
    return { staff, password };
  }

  /**
   * Staff login (StaffService.login, throttled there) plus the audit row every failed attempt leaves: the
   * actor is the username tried (cleaned), role none; the target is the account when it exists. Refusals
   * by the throttle (429) are not written: they are unbounded under attack, the failures are not.
   */
  async login(username: string, password: string, from: { ip: string; requestId: string }): Promise<Staff> {
    try {
      return await this.staff.login(username, password, from.ip);
    } catch (e) {
      if (e instanceof AppError && e.code === 'BAD_CREDENTIALS') await this.recordFailedLogin(username, from);
      throw e;
    }
  }

  private async recordFailedLogin(username: string, from: { ip: string; requestId: string }): Promise<void> {
    const tried = stripUnsafeText(username).toLowerCase().slice(0, 64);
    await this.tx.run(async (m) => {
      const target = tried ? await m.getRepository(StaffEntity).findOne({ where: { username: tried } }) : null;
      const actor: Actor = { staffId: null, username: tried || '(empty)', role: null, storeId: null, ip: from.ip, requestId: from.requestId };
      await this.audit.record(m, actor, {
        action: 'staff.login_failed',
        targetType: target ? 'staff' : null,
        targetId: target?.id ?? null,
        after: { result: 'BAD_CREDENTIALS', accountDisabled: target ? target.disabled : undefined },
      });
    });
  }

  /** Refuses to take away the last enabled admin; the admins are locked so two such changes cannot both pass. */
  private async keepAnAdmin(m: EntityManager, losingId: number): Promise<void> {
    const qb = m
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .where('s.role = :role', { role: 'admin' })
      .andWhere('s.disabled = :off', { off: false })
      .andWhere('s.id <> :id', { id: losingId })
      .orderBy('s.id', 'ASC');
    const others = await this.tx.forUpdate(qb).getMany();
    if (others.length === 0) throw new AppError('LAST_ADMIN');
  }

  private async openStore(m: EntityManager, storeId: number): Promise<Store> {
    const store = await m.getRepository(StoreEntity).findOne({ where: { id: storeId } });
    if (!store) throw new AppError('VALIDATION_FAILED', [{ path: 'storeId', message: 'no such store' }]);
    if (store.closedAt !== null) throw new AppError('STORE_CLOSED_NO_CLERKS');
    return store;
  }

  /** The stores these accounts belong to, by id. */
  private async storeMap(m: EntityManager, staff: Pick<Staff, 'storeId'>[]): Promise<Map<number, Store>> {
    const ids = [...new Set(staff.map((s) => s.storeId).filter((v): v is number => v !== null))];
    if (ids.length === 0) return new Map();
    return new Map((await m.getRepository(StoreEntity).find({ where: { id: In(ids) } })).map((s) => [s.id, s]));
  }

  private toDto(s: Staff, stores: Map<number, Store>): StaffAdminDto {
    const store = s.storeId === null ? undefined : stores.get(s.storeId);
    return {
      id: s.id,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      storeId: s.storeId,
      storeCode: store?.code ?? null,
      storeName: store?.name ?? null,
      disabled: s.disabled,
      createdAt: new Date(s.createdAt).toISOString(),
    };
  }
}

function checkStoreRule(role: StaffRole, storeId: number | null): void {
  if ((role === 'clerk') !== (storeId !== null)) throw new AppError('STAFF_STORE_RULE');
}
