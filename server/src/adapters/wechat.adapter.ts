import { z } from 'zod';
import { AppError } from '../errors';

/** The WeChat login boundary. session_key stays inside the adapter: callers only ever get the openid. */
export interface WechatAdapter {
  code2Session(code: string): Promise<{ openid: string }>;
}

/** WECHAT_MODE=dev: the code `dev:<openid>` logs in that openid. Never enabled by default in production. */
export class DevWechatAdapter implements WechatAdapter {
  async code2Session(code: string): Promise<{ openid: string }> {
    const m = /^dev:([A-Za-z0-9_-]{1,60})$/.exec(code);
    if (!m) throw new AppError('UNAUTHENTICATED', [{ path: 'code', message: 'dev mode expects dev:<openid>' }]);
    return { openid: `dev_${m[1]}` };
  }
}

const sessionSchema = z.object({ openid: z.string().min(1).max(64), session_key: z.string().optional(), errcode: z.number().optional() });

/** WECHAT_MODE=real: calls code2Session (auth.code2Session) with the AppID and secret. */
export class RealWechatAdapter implements WechatAdapter {
  static readonly DEFAULT_API_BASE = 'https://api.weixin.qq.com';

  constructor(
    private readonly appId: string,
    private readonly secret: string,
    private readonly apiBase = RealWechatAdapter.DEFAULT_API_BASE,
    private readonly timeoutMs = 5000,
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
}
