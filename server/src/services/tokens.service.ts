import { SignJWT, jwtVerify } from 'jose';
import { isStaffRole, type StaffRole } from '@jifen/shared';

/** Who a request acts as, from its token (staff details are refreshed from the staff row on every request). */
export type Auth =
  | { kind: 'member'; memberId: number }
  | { kind: 'staff'; staffId: number; role: StaffRole; storeId: number | null; username: string; sessionVersion: number };

/**
 * Signs and verifies access tokens (HS256, jose). Members get 7 days; staff 8 hours (one shift).
 * A staff token carries the account's session version: disabling the account, changing its role or store,
 * or resetting its password bumps the version in the database, and the auth middleware refuses older tokens.
 */
export class TokenService {
  private readonly key: Uint8Array;
  static readonly MEMBER_TTL_SECONDS = 7 * 24 * 3600;
  static readonly STAFF_TTL_SECONDS = 8 * 3600;

  constructor(secret: string, private readonly clock: () => Date) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(auth: Auth): Promise<string> {
    const iat = Math.floor(this.clock().getTime() / 1000);
    const ttl = auth.kind === 'member' ? TokenService.MEMBER_TTL_SECONDS : TokenService.STAFF_TTL_SECONDS;
    const claims = auth.kind === 'member' ? { k: 'm' } : { k: 's', role: auth.role, store: auth.storeId, u: auth.username, sv: auth.sessionVersion };
    const sub = auth.kind === 'member' ? String(auth.memberId) : String(auth.staffId);
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(iat).setExpirationTime(iat + ttl).setIssuer('jifen').sign(this.key);
  }

  /** Returns the auth the token carries, or null for any malformed, forged or expired token. */
  async verify(token: string): Promise<Auth | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: 'jifen',
        currentDate: this.clock(),
      });
      const id = Number(payload.sub);
      if (!Number.isSafeInteger(id) || id < 1) return null;
      if (payload.k === 'm') return { kind: 'member', memberId: id };
      if (payload.k === 's' && isStaffRole(payload.role) && Number.isSafeInteger(payload.sv)) {
        const store = payload.store;
        return { kind: 'staff', staffId: id, role: payload.role, storeId: typeof store === 'number' ? store : null, username: String(payload.u ?? ''), sessionVersion: payload.sv as number };
      }
      return null;
    } catch {
      return null;
    }
  }
}
