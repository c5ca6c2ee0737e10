import { AppError } from '../errors';
import type { Clock } from '../clock';

/** Limits for member traffic (env, see config.ts); 0 turns a limit off. */
export interface RateLimits {
  memberPerMinute: number;
  addressPerMinute: number;
  newMembersPerAddressPerHour: number;
}

/**
 * Request limits on member routes (issue 8 item 6): per member and per address, and new members per address.
 * Fixed windows counted in this process's memory: a limit is a brake on abuse, not an invariant, so it needs
 * no database write per request; with N instances behind a balancer the effective limit is up to N times the
 * figure. Over the limit: 429 RATE_LIMITED with Retry-After (seconds to the end of the window).
 * Memory is bounded: past KEYS_MAX keys the ended windows are dropped, then the oldest keys.
 */
export class RateLimitService {
  static readonly KEYS_MAX = 100_000;
  /** Images a member may upload an hour (three per dispute, five open disputes at most, and some retries). */
  static readonly MEMBER_UPLOADS_PER_HOUR = 20;
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(readonly limits: RateLimits, private readonly clock: Clock) {}

  /** One member request: counts against the member and against the address. */
  memberRequest(memberId: number, address: string): void {
    this.hit(`m:${memberId}`, this.limits.memberPerMinute, 60_000);
    this.hit(`a:${address}`, this.limits.addressPerMinute, 60_000);
  }

  /** A member's image upload (a dispute's screenshots): a brake on filling the disk, on top of memberRequest. */
  memberUpload(memberId: number): void {
    this.hit(`u:${memberId}`, RateLimitService.MEMBER_UPLOADS_PER_HOUR, 3_600_000);
  }

  /** A member sign-in attempt (before WeChat is asked): counts against the address like member requests. */
  loginAttempt(address: string): void {
    this.hit(`a:${address}`, this.limits.addressPerMinute, 60_000);
  }

  /** A sign-in that is about to create a member. */
  newMember(address: string): void {
    this.hit(`n:${address}`, this.limits.newMembersPerAddressPerHour, 3_600_000);
  }

  private hit(key: string, max: number, windowMs: number): void {
    if (max <= 0) return;
    const now = this.clock().getTime();
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= windowMs) {
      if (!w && this.windows.size >= RateLimitService.KEYS_MAX) this.prune(now);
      w = { startedAt: now, count: 0 };
      this.windows.delete(key); // re-inserted last: Map order is then oldest window first
      this.windows.set(key, w);
    }
    if (w.count >= max) {
      throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil((w.startedAt + windowMs - now) / 1000)) });
    }
    w.count++;
  }

  private prune(now: number): void {
    // Windows are at most an hour long: anything older has ended.
    for (const [k, w] of this.windows) if (now - w.startedAt >= 3_600_000) this.windows.delete(k);
    for (const k of this.windows.keys()) {
      if (this.windows.size < RateLimitService.KEYS_MAX * 0.9) break;
      this.windows.delete(k);
    }
  }
}
