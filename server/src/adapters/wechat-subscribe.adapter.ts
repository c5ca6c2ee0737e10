import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WechatAdapter } from './wechat.adapter';

/** One subscribe message (subscribeMessage.send's body) and the key that makes a re-send recognisable. */
export interface SubscribeMessage {
  /** `notice:<id>`: the same notice always has the same key. */
  key: string;
  touser: string;
  templateId: string;
  page: string;
  miniprogramState: 'developer' | 'trial' | 'formal';
  data: Record<string, { value: string }>;
}

export type SendResult = { ok: true } | { ok: false; transient: boolean; code: number; message: string };

/**
 * Where subscribe messages go. `idempotent` says whether a send with a key already sent is a no-op: then a
 * delivery interrupted between sending and recording may simply be sent again; otherwise it is not retried
 * (at most once) and the notice stays in-app.
 */
export interface SubscribeSender {
  readonly idempotent: boolean;
  send(msg: SubscribeMessage): Promise<SendResult>;
}

/**
 * WECHAT_MODE=dev: each message is a JSON line in a log file (tests read it). Idempotent on the key: a key
 * already in the file is not written again, so a crash between send and record never doubles a message.
 */
export class DevSubscribeSender implements SubscribeSender {
  readonly idempotent = true;

  constructor(readonly file: string, private readonly nowMs: () => number = () => Date.now()) {}

  async send(msg: SubscribeMessage): Promise<SendResult> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    if (existsSync(this.file) && readFileSync(this.file, 'utf8').split('\n').some((l) => l.includes(`"key":${JSON.stringify(msg.key)}`))) return { ok: true };
    appendFileSync(this.file, `${JSON.stringify({ key: msg.key, touser: msg.touser, template_id: msg.templateId, page: msg.page, data: msg.data, at: new Date(this.nowMs()).toISOString() })}\n`);
    return { ok: true };
  }
}

/** errcodes that mean "this access token is no good": drop it, fetch a new one, try once more. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** Worth trying again later: system busy, rate limits. Everything else (43101 refused, 40003 bad openid, 47003 bad data, 40037 bad template) is final. */
const TRANSIENT = new Set([-1, 45009, 45011]);

/**
 * WECHAT_MODE=real: POST /cgi-bin/message/subscribe/send?access_token=… with
 * {touser, template_id, page, miniprogram_state, lang, data: {field: {value}}}; the answer is {errcode, errmsg}.
 * The access token comes from the WeChat adapter's cache (GET /cgi-bin/token); a rejected token is dropped and
 * the send tried once more with a fresh one. WeChat has no idempotency key, so this sender is not idempotent.
 */
export class RealSubscribeSender implements SubscribeSender {
  readonly idempotent = false;

  constructor(private readonly wechat: Pick<WechatAdapter, 'accessToken' | 'dropToken'>, private readonly apiBase: string, private readonly timeoutMs = 5000) {}

  async send(msg: SubscribeMessage): Promise<SendResult> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await this.wechat.accessToken();
      } catch {
        return { ok: false, transient: true, code: -2, message: 'access token unavailable' };
      }
      const url = new URL('/cgi-bin/message/subscribe/send', this.apiBase);
      url.search = new URLSearchParams({ access_token: token }).toString();
      let body: { errcode?: number; errmsg?: string };
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ touser: msg.touser, template_id: msg.templateId, page: msg.page, miniprogram_state: msg.miniprogramState, lang: 'zh_CN', data: msg.data }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.status >= 500) return { ok: false, transient: true, code: -res.status, message: `HTTP ${res.status}` };
        body = (await res.json()) as typeof body;
      } catch (e) {
        return { ok: false, transient: true, code: -3, message: `network: ${(e as Error).name}` };
      }
      const code = typeof body.errcode === 'number' ? body.errcode : 0;
      if (code === 0) return { ok: true };
      if (TOKEN_REJECTED.has(code) && attempt === 0) {
        this.wechat.dropToken(token);
        continue;
      }
      return { ok: false, transient: TRANSIENT.has(code) || TOKEN_REJECTED.has(code), code, message: String(body.errmsg ?? '').slice(0, 80) };
    }
  }
}
