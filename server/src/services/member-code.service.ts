import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import { MemberCodeUseEntity } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import type { Clock } from '../clock';

/**
 * The rotating member code shown at the till: "<member id base36>-<nonce><HMAC(member id, 30 s step, nonce)>".
 * One step either side is accepted (clock skew, slow scans); a code is single use. The random nonce makes
 * every issued code distinct, so after a purchase the member's next code works at once (no waiting for
 * the next step).
 */
export class MemberCodeService {
  static readonly STEP_SECONDS = 30;
  private static readonly MAC_CHARS = 12;
  private static readonly NONCE_CHARS = 4;
  private static readonly ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  constructor(private readonly secret: string, private readonly clock: Clock) {}

  private step(at: number): number {
    return Math.floor(at / 1000 / MemberCodeService.STEP_SECONDS);
  }

  private mac(memberId: number, step: number, nonce: string): string {
    return createHmac('sha256', this.secret).update(`${memberId}:${step}:${nonce}`).digest('base64url').slice(0, MemberCodeService.MAC_CHARS).toUpperCase().replace(/[-_]/g, 'Z');
  }

  issue(memberId: number): { code: string; expiresAt: string; refreshSeconds: number } {
    const now = this.clock().getTime();
    const step = this.step(now);
    const expiresAt = (step + 1) * MemberCodeService.STEP_SECONDS * 1000;
    let nonce = '';
    for (let i = 0; i < MemberCodeService.NONCE_CHARS; i++) nonce += MemberCodeService.ALPHABET[randomInt(MemberCodeService.ALPHABET.length)];
    return { code: `${memberId.toString(36).toUpperCase()}-${nonce}${this.mac(memberId, step, nonce)}`, expiresAt: new Date(expiresAt).toISOString(), refreshSeconds: MemberCodeService.STEP_SECONDS };
  }

  /** The member a code belongs to; 400 CODE_INVALID for a forged, malformed or stale code. */
  resolve(code: string): number {
    const m = /^([0-9A-Z]{1,7})-([0-9A-Z]{4})([0-9A-Z]{12})$/.exec(code.trim().toUpperCase());
    if (!m) throw new AppError('CODE_INVALID');
    const memberId = parseInt(m[1]!, 36);
    // Only the canonical spelling (no leading zero): "01-…" would otherwise be the same member's code
    // under another string, and slip past the single-use check, which is keyed on the string.
    if (memberId < 1 || memberId.toString(36).toUpperCase() !== m[1]) throw new AppError('CODE_INVALID');
    const nonce = m[2]!;
    const given = Buffer.from(m[3]!);
    const step = this.step(this.clock().getTime());
    for (const s of [step, step - 1, step + 1]) {
      const expected = Buffer.from(this.mac(memberId, s, nonce));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return memberId;
    }
    throw new AppError('CODE_INVALID');
  }

  /** Marks a code used inside the purchase transaction; 409 CODE_USED the second time. */
  async consume(m: EntityManager, memberId: number, code: string): Promise<void> {
    try {
      await m.getRepository(MemberCodeUseEntity).insert({ memberId, code: code.trim().toUpperCase(), usedAt: this.clock().getTime() });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('CODE_USED');
      throw e;
    }
  }
}
