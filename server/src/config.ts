import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues, rulesConfigSchema, type RulesConfig } from '@jifen/shared';
import { devSecrets, weakSecretReason } from './secrets';

/** Environment and rule config, validated at boot: a bad value stops the server naming the key. */
export const ROOT_DIR = path.resolve(__dirname, '../..');

/** Every environment variable the server reads (docs/configuration.md is generated from this: npm run docs:config). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql:\/\/|sqlite:)/, 'must start with mysql:// or sqlite:')
    .default(`sqlite:${path.join(ROOT_DIR, 'data/jifen.sqlite')}`),
  WECHAT_MODE: z.enum(['dev', 'real']).optional(),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().optional(),
  /** WECHAT_MODE=dev: where subscribe messages are written (one JSON line each) instead of being sent. */
  WECHAT_MESSAGE_LOG: z.string().default(path.join(ROOT_DIR, 'data/wechat-messages.log')),
  /** How often the server delivers the notice outbox to WeChat; 0 turns the in-process delivery off. */
  OUTBOX_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MEMBER_CODE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RULES_FILE: z.string().default(path.join(ROOT_DIR, 'config/rules.json')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EXPIRY_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  RATE_LIMIT_MEMBER_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(120),
  RATE_LIMIT_ADDRESS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(0).max(100_000).default(60),
  DATA_DIR: z.string().min(1).default(path.join(ROOT_DIR, 'data')),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  /** Address to listen on; null = every interface (production default). */
  host: string | null;
  databaseUrl: string;
  wechat: { mode: 'dev' | 'real'; appId?: string; secret?: string; apiBase?: string; messageLog?: string };
  outboxIntervalSeconds: number;
  jwtSecret: string;
  memberCodeSecret: string;
  /** Where generated development secrets are kept (null: given in the environment, or in memory only). */
  secretsFile: string | null;
  rules: RulesConfig;
  logLevel: string;
  expiryIntervalMinutes: number;
  trustProxy: boolean;
  rateLimits: { memberPerMinute: number; addressPerMinute: number; newMembersPerAddressPerHour: number };
  /** Where the server keeps files: uploaded images (uploads/), the H5 build log. */
  dataDir: string;
}

export class ConfigError extends Error {}

export function loadRules(file: string): RulesConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`config: cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = rulesConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`config: ${file} is invalid:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`config: environment is invalid:\n${describeIssues(parsed.error)}`);
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const mode = e.WECHAT_MODE ?? (production ? 'real' : 'dev');
  if (production) {
    for (const name of ['JWT_SECRET', 'MEMBER_CODE_SECRET'] as const) {
      const value = e[name];
      if (!value) throw new ConfigError(`config: ${name} is required when NODE_ENV=production (JWT_SECRET and MEMBER_CODE_SECRET, e.g. openssl rand -hex 32)`);
      const weak = weakSecretReason(value);
      if (weak) throw new ConfigError(`config: ${name} ${weak}; NODE_ENV=production refuses it`);
    }
    // dev mode logs anyone in as any openid: a production server must never offer it.
    if (e.WECHAT_MODE === 'dev') throw new ConfigError('config: WECHAT_MODE=dev is refused when NODE_ENV=production (it lets anyone log in as any member)');
  }
  if (mode === 'real' && (!e.WECHAT_APPID || !e.WECHAT_SECRET)) {
    throw new ConfigError('config: WECHAT_APPID and WECHAT_SECRET are required when WECHAT_MODE=real');
  }
  const kept = !e.JWT_SECRET || !e.MEMBER_CODE_SECRET ? devSecrets(e.DATABASE_URL, path.join(ROOT_DIR, 'data')) : null;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    // Outside production only this machine can reach the demo unless HOST says otherwise.
    host: e.HOST ?? (production ? null : '127.0.0.1'),
    databaseUrl: e.DATABASE_URL,
    wechat: { mode, appId: e.WECHAT_APPID, secret: e.WECHAT_SECRET, apiBase: e.WECHAT_API_BASE, messageLog: e.WECHAT_MESSAGE_LOG },
    outboxIntervalSeconds: e.OUTBOX_INTERVAL_SECONDS,
    jwtSecret: e.JWT_SECRET ?? kept!.secrets.jwtSecret,
    memberCodeSecret: e.MEMBER_CODE_SECRET ?? kept!.secrets.memberCodeSecret,
    secretsFile: kept?.file ?? null,
    rules: loadRules(e.RULES_FILE),
    logLevel: e.LOG_LEVEL,
    expiryIntervalMinutes: e.EXPIRY_INTERVAL_MINUTES,
    trustProxy: e.TRUST_PROXY === '1',
    rateLimits: {
      memberPerMinute: e.RATE_LIMIT_MEMBER_PER_MINUTE,
      addressPerMinute: e.RATE_LIMIT_ADDRESS_PER_MINUTE,
      newMembersPerAddressPerHour: e.RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR,
    },
    dataDir: path.resolve(e.DATA_DIR),
  };
}
