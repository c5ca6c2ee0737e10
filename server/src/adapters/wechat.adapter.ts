import { z } from 'zod';
import { AppError } from '../errors';

/** A phone number as WeChat's getuserphonenumber returns it (phone_info). */
export interface WechatPhone {
  /** With the country code for numbers outside the mainland. */
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

/**
 * The WeChat boundary. session_key stays inside the adapter: callers only ever get the openid. The access
 * token (client credential) is cached here until shortly before it expires; issue 11's subscribe messages
 * reuse accessToken().
 */
export interface WechatAdapter {
  code2Session(code: string): Promise<{ openid: string }>;
  accessToken(): Promise<string>;
  /** Forgets a token WeChat refused (40001/42001/40014), so the next accessToken() fetches a new one. */
  dropToken(token: string): void;
  /** Exchanges the code of a getPhoneNumber button (phonenumber.getPhoneNumber). */
  phoneNumber(code: string): Promise<WechatPhone>;
}

/** WECHAT_MODE=dev: the code `dev:<openid>` logs in that openid, `dev:<phone>` binds that phone. Never enabled by default in production. */
export class DevWechatAdapter implements WechatAdapter {
  async code2Session(code: string): Promise<{ openid: string }> {
    const m = /^dev:([A-Za-z0-9_-]{1,60})$/.exec(code);
    if (!m) throw new AppError('UNAUTHENTICATED', [{ path: 'code', message: 'dev mode expects dev:<openid>' }]);
    return { openid: `dev_${m[1]}` };
  }

  async accessToken(): Promise<string> {
    return 'dev-access-token';
  }

  dropToken(): void {}

  async phoneNumber(code: string): Promise<WechatPhone> {
    const m = /^dev:(\+?[0-9 -]{5,24})$/.exec(code);
    if (!m) throw new AppError('PHONE_CODE_INVALID', [{ path: 'code', message: 'dev mode expects dev:<phone>, e.g. dev:13800138000' }]);
    const n = m[1]!.replace(/[ -]/g, '');
    return { phoneNumber: n, purePhoneNumber: n.replace(/^\+86/, ''), countryCode: n.startsWith('+') && !n.startsWith('+86') ? '' : '86' };
  }
}

const sessionSchema = z.object({ openid: z.string().min(1).max(64), session_key: z.string().optional(), errcode: z.number().optional() });
const tokenSchema = z.object({ access_token: z.string().min(1).max(1024), expires_in: z.number().int().positive() });
const phoneSchema = z.object({
  errcode: z.number().optional(),
  phone_info: z
    .object({ phoneNumber: z.string().max(32), purePhoneNumber: z.string().max(32), countryCode: z.union([z.string(), z.number()]).transform(String) })
    .optional(),
});

/** errcodes that mean "this access token is no good": drop it, fetch a new one, try once more. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** Refresh this long before WeChat's expiry (a token fetched elsewhere may already be a little old). */
const TOKEN_MARGIN_MS = 5 * 60_000;

/** WECHAT_MODE=real: code2Session, the client-credential access token (cached) and getuserphonenumber. */
export class RealWechatAdapter implements WechatAdapter {
  static readonly DEFAULT_API_BASE = 'https://api.weixin.qq.com';
  private token: { value: string; refreshAtMs: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly appId: string,
    private readonly secret: string,
    private readonly apiBase = RealWechatAdapter.DEFAULT_API_BASE,
    private readonly timeoutMs = 5000,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async code2Session(code: string): Promise<{ openid: string }> {
    const url = new URL('/sns/jscode2session', this.apiBase);
    url.search = new URLSearchParams({ appid: this.appId, secret: this.secret, js_code: code, grant_type: 'authorization_code' }).toString();
    let body: unknown;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      body = await res.json();
    } catch {
      throw new AppError('UNAUTHENTICATED'); // WeChat unreachable or not JSON: the login fails, nothing leaks
    }
    const parsed = sessionSchema.safeParse(body);
    if (!parsed.success || parsed.data.errcode) throw new AppError('UNAUTHENTICATED');
    return { openid: parsed.data.openid };
  }

  /**
   * GET /cgi-bin/token?grant_type=client_credential, cached until TOKEN_MARGIN_MS before expires_in runs out.
   * Concurrent callers share one fetch (each fetch invalidates the previous token at WeChat).
   */
  async accessToken(): Promise<string> {
    if (this.token && this.nowMs() < this.token.refreshAtMs) return this.token.value;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  dropToken(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL('/cgi-bin/token', this.apiBase);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: this.appId, secret: this.secret }).toString();
    const body = await this.call(url, { method: 'GET' });
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) throw new AppError('WECHAT_UNAVAILABLE');
    const lifeMs = parsed.data.expires_in * 1000;
    this.token = { value: parsed.data.access_token, refreshAtMs: this.nowMs() + Math.max(lifeMs - TOKEN_MARGIN_MS, lifeMs / 2) };
    return this.token.value;
  }

  /** POST /wxa/business/getuserphonenumber?access_token=… {code}: each code works once, for 5 minutes. */
  async phoneNumber(code: string): Promise<WechatPhone> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const url = new URL('/wxa/business/getuserphonenumber', this.apiBase);
      url.search = new URLSearchParams({ access_token: token }).toString();
      const body = await this.call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const parsed = phoneSchema.safeParse(body);
      if (!parsed.success) throw new AppError('WECHAT_UNAVAILABLE');
      const err = parsed.data.errcode ?? 0;
      if (err !== 0 && TOKEN_REJECTED.has(err) && attempt === 0) {
        if (this.token?.value === token) this.token = null;
        continue;
      }
      if (err === -1) throw new AppError('WECHAT_UNAVAILABLE'); // system busy
      if (err !== 0 || !parsed.data.phone_info) throw new AppError('PHONE_CODE_INVALID');
      return parsed.data.phone_info;
    }
  }

  private async call(url: URL, init: RequestInit): Promise<unknown> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      return await res.json();
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE');
    }
  }
}
