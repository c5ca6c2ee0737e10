import type { StaffProfile } from '@jifen/shared';
import { AppError } from '../errors';
import { LoginThrottleEntity, StaffEntity, StoreEntity, type Staff } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { hashPassword, verifyPassword } from './passwords';

/**
 * Staff accounts and login. Failed logins are counted per username and per IP in the database (so every
 * instance agrees); past the limit the key is locked for a while and login answers 429 with Retry-After.
 */
export class StaffService {
  static readonly WINDOW_MS = 15 * 60_000;
  static readonly LOCK_MS = 15 * 60_000;
  static readonly USER_FAILURES_MAX = 5;
  static readonly IP_FAILURES_MAX = 20;

  constructor(private readonly tx: TxRunner, private readonly clock: Clock) {}

  async profile(staff: Staff): Promise<StaffProfile> {
    const store = staff.storeId ? await this.tx.manager.getRepository(StoreEntity).findOne({ where: { id: staff.storeId } }) : null;
    return { id: staff.id, username: staff.username, role: staff.role, storeId: staff.storeId, storeName: store?.name ?? null };
  }

  async login(username: string, password: string, ip: string): Promise<Staff> {
    const keys = [`u:${username.toLowerCase()}`, `ip:${ip}`];
    const now = this.clock().getTime();
    const rows = await this.tx.manager.getRepository(LoginThrottleEntity).findBy(keys.map((throttleKey) => ({ throttleKey })));
    const locked = rows.filter((r) => r.lockedUntil !== null && r.lockedUntil > now);
    if (locked.length > 0) {
      const until = Math.max(...locked.map((r) => r.lockedUntil!));
      throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((until - now) / 1000) });
    }
    const staff = await this.tx.manager.getRepository(StaffEntity).findOne({ where: { username } });
    // Verify against a dummy hash when the user does not exist, so timing does not reveal usernames.
    const ok = await verifyPassword(password, staff?.passwordHash ?? DUMMY_HASH);
    if (!staff || !ok || staff.disabled) {
      await this.recordFailure(keys[0]!, StaffService.USER_FAILURES_MAX);
      await this.recordFailure(keys[1]!, StaffService.IP_FAILURES_MAX);
      throw new AppError('BAD_CREDENTIALS');
    }
    await this.tx.manager.getRepository(LoginThrottleEntity).delete({ throttleKey: keys[0]! });
    return staff;
  }

  private async recordFailure(throttleKey: string, max: number): Promise<void> {
    await this.tx.run(async (m) => {
      const now = this.clock().getTime();
      const repo = m.getRepository(LoginThrottleEntity);
      const qb = repo.createQueryBuilder('t').where('t.throttle_key = :k', { k: throttleKey });
      const row = await this.tx.forUpdate(qb).getOne();
      if (!row || now - row.windowStartedAt > StaffService.WINDOW_MS) {
        const fresh = { throttleKey, failures: 1, windowStartedAt: now, lockedUntil: null };
        try {
          if (row) await repo.update({ throttleKey }, fresh);
          else await repo.insert(fresh);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          await repo.increment({ throttleKey }, 'failures', 1);
        }
        return;
      }
      const failures = row.failures + 1;
      await repo.update({ throttleKey }, { failures, lockedUntil: failures >= max ? now + StaffService.LOCK_MS : row.lockedUntil });
    });
  }

  async add(input: { username: string; password: string; role: Staff['role']; storeCode?: string | null }): Promise<Staff> {
    let storeId: number | null = null;
    if (input.role === 'clerk') {
      if (!input.storeCode) throw new Error('a clerk needs --store <code>');
      const store = await this.tx.manager.getRepository(StoreEntity).findOne({ where: { code: input.storeCode } });
      if (!store) throw new Error(`no store with code ${input.storeCode}`);
      storeId = store.id;
    }
    const row = { username: input.username, passwordHash: await hashPassword(input.password), role: input.role, storeId, disabled: false, createdAt: this.clock().getTime() };
    const ins = await this.tx.manager.getRepository(StaffEntity).insert(row);
    return { ...row, id: Number(ins.identifiers[0]!.id) };
  }
}

// scrypt hash of a random string nobody knows; only used to equalize timing for unknown usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
