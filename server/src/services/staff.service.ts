import type { StaffProfile } from '@jifen/shared';
import type { Auth } from './tokens.service';
import { AppError } from '../errors';
import { LoginThrottleEntity, StaffEntity, StoreEntity, type Staff } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { verifyPassword } from './passwords';

/**
 * Staff accounts and login. Failed logins are counted per (username, address) and per address in the
 * database (so every instance agrees); past the limit the key is locked for a while and login answers 429
 * with Retry-After. Never per username alone: guesses from one address would then lock the account out
 * everywhere (issue 8 item 3); an account under attack from one address still logs in from any other.
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

  /**
   * The staff session a token claims, checked against the account row on every request (so it holds
   * across instances): null when the account is gone, disabled, or its session version moved on.
   * Role and store come from the row, never from the token alone.
   */
  async session(claim: Extract<Auth, { kind: 'staff' }>): Promise<Extract<Auth, { kind: 'staff' }> | null> {
    const row = await this.tx.manager.getRepository(StaffEntity).findOne({ where: { id: claim.staffId } });
    if (!row || row.disabled || row.sessionVersion !== claim.sessionVersion) return null;
    return { kind: 'staff', staffId: row.id, role: row.role, storeId: row.storeId, username: row.username, sessionVersion: row.sessionVersion };
  }

  async login(username: string, password: string, ip: string): Promise<Staff> {
    const address = ip.slice(0, 64); // bounded: the key column is 150 characters, a username at most 64
    const [userKey, ipKey] = [`u:${username.toLowerCase()}|${address}`, `ip:${address}`];
    // The attempt is counted before the (slow) password check, not after it: otherwise many guesses sent
    // at once would all be checked before the first failure was written, and the limit would not hold.
    await this.reserveAttempt([
      { throttleKey: userKey, max: StaffService.USER_FAILURES_MAX },
      { throttleKey: ipKey, max: StaffService.IP_FAILURES_MAX },
    ]);
    const staff = await this.tx.manager.getRepository(StaffEntity).findOne({ where: { username: username.toLowerCase() } });
    // Verify against a dummy hash when the user does not exist, so timing does not reveal usernames.
    const ok = await verifyPassword(password, staff?.passwordHash ?? DUMMY_HASH);
    if (!staff || !ok || staff.disabled) throw new AppError('BAD_CREDENTIALS'); // the attempt stays counted
    await this.releaseAttempt(userKey, ipKey);
    return staff;
  }

  /**
   * Counts one attempt on every key (one transaction, keys always in the same order), or 429 with
   * Retry-After when a key is locked. The attempt that reaches a key's limit locks it for later ones.
   */
  private async reserveAttempt(keys: { throttleKey: string; max: number }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tx.run(async (m) => {
          const now = this.clock().getTime();
          const repo = m.getRepository(LoginThrottleEntity);
          for (const { throttleKey, max } of keys) {
            const row = await this.tx.forUpdate(repo.createQueryBuilder('t').where('t.throttle_key = :k', { k: throttleKey })).getOne();
            if (row && row.lockedUntil !== null && row.lockedUntil > now) {
              throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((row.lockedUntil - now) / 1000) });
            }
            // A new count starts when the window has passed or a lock has been served in full.
            const fresh = !row || now - row.windowStartedAt > StaffService.WINDOW_MS || (row.lockedUntil !== null && row.lockedUntil <= now);
            const failures = fresh ? 1 : row.failures + 1;
            const next = { failures, windowStartedAt: fresh ? now : row.windowStartedAt, lockedUntil: failures >= max ? now + StaffService.LOCK_MS : null };
            if (row) await repo.update({ throttleKey }, next);
            else await repo.insert({ throttleKey, ...next });
          }
        });
        return;
      } catch (e) {
        // Two first attempts on a key raced to insert its row: the row exists now, count again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  /** A successful login clears the username's failures from that address and gives its attempt back to the address. */
  private async releaseAttempt(userKey: string, ipKey: string): Promise<void> {
    await this.tx.run(async (m) => {
      const repo = m.getRepository(LoginThrottleEntity);
      await repo.delete({ throttleKey: userKey });
      const row = await this.tx.forUpdate(repo.createQueryBuilder('t').where('t.throttle_key = :k', { k: ipKey })).getOne();
      if (!row || row.failures <= 0) return;
      const failures = row.failures - 1;
      await repo.update({ throttleKey: ipKey }, { failures, lockedUntil: failures >= StaffService.IP_FAILURES_MAX ? row.lockedUntil : null });
    });
  }
}

// scrypt hash of a random string nobody knows; only used to equalize timing for unknown usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
