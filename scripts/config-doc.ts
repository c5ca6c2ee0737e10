/**
 * docs/configuration.md, generated from the zod schemas the server validates at boot: every environment
 * variable (server/src/config.ts `envSchema`) and every rule in config/rules.json (`rulesConfigSchema` in
 * shared/src/config.ts) with its default and allowed range. `npm run docs:config` rewrites the file;
 * test/server/config-doc.test.ts fails when it is stale. A new key without a line in DESCRIPTIONS below still
 * appears (marked "no description yet").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { rulesConfigSchema } from '@jifen/shared';
import { ROOT_DIR, envSchema } from '../server/src/config';

type Json = Record<string, any>;

export const CONFIG_DOC = path.join(ROOT_DIR, 'docs/configuration.md');

const ENV_DESCRIPTIONS: Record<string, string> = {
  NODE_ENV: '`development`: demo data, dev WeChat login, the H5 client built on first start. `production`: secrets required, never seeds demo data, never builds.',
  PORT: 'HTTP port the server listens on.',
  HOST: 'Address the server listens on. Default outside production: `127.0.0.1` (the demo is reachable from this machine only; set `0.0.0.0` to open it); in production: every interface.',
  DATABASE_URL: '`mysql://user:password@host:3306/db` (MySQL/MariaDB; the database is created when missing) or `sqlite:/path/file.sqlite`. Migrations run at every start.',
  WECHAT_MODE: '`real` calls WeChat code2Session; `dev` accepts `dev:<openid>` codes (demo and tests only; production refuses to start with it). Default: `real` in production, `dev` otherwise.',
  WECHAT_APPID: 'The mini-program AppID (required with WECHAT_MODE=real). The weapp build also writes it into the project config for WeChat DevTools.',
  WECHAT_SECRET: 'The mini-program AppSecret (required with WECHAT_MODE=real). Server side only.',
  WECHAT_API_BASE: 'Base URL of the code2Session API; only to point tests at a local stand-in. Default: WeChat’s own.',
  JWT_SECRET: 'Signs member and staff tokens (32+ bytes of real randomness, e.g. `openssl rand -hex 32`). Required in production, which refuses a published constant, under 32 bytes or low entropy; changing it signs everyone out. Outside production, when unset, a random one is generated once and kept beside the SQLite file (`<db>.secrets.json`) or in `data/secrets.json` for MySQL.',
  MEMBER_CODE_SECRET: 'Signs the rotating member codes shown at the till; same rules and development file as `JWT_SECRET`.',
  RULES_FILE: 'The rule file (see Rules below), validated at boot.',
  LOG_LEVEL: 'pino log level; logs are JSON lines on stdout.',
  EXPIRY_INTERVAL_MINUTES: 'How often the server expires due points lots and settles pending invite rewards; `0` turns the in-server job off (then run `npm run expire` from cron). Safe with several instances.',
  RATE_LIMIT_MEMBER_PER_MINUTE: 'Requests one member’s token may make per minute (all routes); past it 429 with Retry-After. `0` = off. Counted per instance.',
  RATE_LIMIT_ADDRESS_PER_MINUTE: 'Member requests and member sign-ins per client address per minute (a store or office network shares one address: keep it generous). `0` = off. Counted per instance.',
  RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: 'Sign-ins that create a new member, per client address per hour (returning members are not counted). `0` = off. Counted per instance.',
  TRUST_PROXY: '`1` behind a reverse proxy or load balancer: the client address comes from X-Forwarded-For (per-IP login limits). Keep `0` when clients reach the server directly, or anyone could pick their own address.',
  DATA_DIR: 'Folder the server writes files to: uploaded images (`uploads/`, named by content hash; several instances must share it) and the H5 build log. Back it up with the database.',
};

/** Variables read outside the server's schema: the client build and the tests. */
const OTHER_VARIABLES: { name: string; where: string; text: string }[] = [
  { name: 'JIFEN_API_BASE', where: 'weapp/H5 build', text: 'API origin compiled into the client, e.g. `https://jifen.example.com`. weapp default `http://localhost:3000` (development only); H5 default: same origin. A release build refuses localhost, 127.0.0.1 and plain http.' },
  { name: 'JIFEN_RELEASE', where: 'weapp build', text: '`1` marks a release build (体验版 or production upload): JIFEN_API_BASE must then be an https address that is not localhost. (NODE_ENV cannot say this: `taro build` always sets it to production.)' },
  { name: 'WECHAT_APPID', where: 'weapp build', text: 'Written into client/dist-weapp/project.config.json so WeChat DevTools opens the build with the real AppID; the checked-in project.config.json keeps the test AppID `touristappid`.' },
  { name: 'TEST_DB', where: 'tests', text: '`sqlite` (default) or `mysql`: the database the server suite runs on.' },
  { name: 'TEST_MYSQL_URL', where: 'tests', text: 'e.g. `mysql://root@127.0.0.1:3306`: server for TEST_DB=mysql (each test file creates and drops its own database); `npm test` adds a MySQL pass when set.' },
  { name: 'TEST_DB_TEMPLATE', where: 'tests', text: '`0` makes every test app migrate its database fresh; by default each starts from a copy of a migrated template (MySQL: schema `jifen_tpl_<hash of the migrations>`, built once under a lock; SQLite: an in-memory image per process).' },
  { name: 'TEST_DB_COPY_LANES', where: 'tests', text: 'Connections a MySQL test database copy creates its tables over (default 4).' },
  { name: 'CHROMIUM_PATH', where: 'tests', text: 'Browser for the end-to-end tests; default `/usr/bin/chromium`.' },
];

const RULE_DESCRIPTIONS: Record<string, string> = {
  timezone: 'IANA zone of the brand’s local day (check-in days, birthday month, campaign times, year-end expiry).',
  'anchor.points': 'Value anchor: this many points are worth `anchor.fen` fen (100 points = 1 yuan by default).',
  'anchor.fen': 'See `anchor.points`.',
  'purchase.pointsPerYuan': 'Base points per whole yuan spent.',
  'purchase.pendingDays': 'Days purchase points stay pending (refundable) before they can be spent.',
  'purchase.maxPointsPerOrder': 'Upper limit on points one order can earn.',
  'purchase.birthdayMultiplierPct': 'Earn multiplier in the member’s birthday month, in percent (200 = double).',
  'tiers[].code': 'Stable tier code (campaign targeting, rewards’ minimum tier).',
  'tiers[].name': 'Tier name shown to members.',
  'tiers[].minPoints': 'Qualifying points (over tierWindowMonths) to reach the tier; the first tier starts at 0, then strictly ascending.',
  'tiers[].multiplierPct': 'Earn multiplier of the tier in percent (150 = 1.5x).',
  tierWindowMonths: 'Months of qualifying points that decide the tier; also the length of a tier year (the anniversary comes this many months after a tier is reached or reviewed).',
  'tierRetention.mode': 'At the anniversary, a tier whose year fell short of its threshold drops `one_level`, or `by_points` to the tier the year’s qualifying points say (保级, issue 11.4).',
  'tierRetention.warnDays': 'Days before the anniversary from which the member is told “再得 N 分保级” (home line and one notice per tier year).',
  'checkin.points': 'Points for a daily check-in.',
  'checkin.bonusEveryDays': 'Every this many consecutive days the check-in pays the bonus.',
  'checkin.bonusPoints': 'Bonus on every `bonusEveryDays`-th consecutive day.',
  'tasks.review': 'Points for reviewing an own order (once per order).',
  'tasks.inviteInviter': 'Points to the inviter after the invitee’s first purchase.',
  'tasks.inviteInvitee': 'Points to the invitee after their first purchase.',
  'tasks.bindCard': 'Points for binding a card (once).',
  'tasks.share': 'Points per share.',
  'tasks.shareDailyMax': 'Shares that earn per day.',
  'tasks.survey': 'Points per survey (once per survey).',
  'till.largeAmountConfirmFen': 'An order above this amount (fen) needs `confirmLargeAmount: true` at the till (else 409 LARGE_AMOUNT_CONFIRM); the clerk page asks for a second tap.',
  'till.pointsShareMaxPct': 'Points may pay at most this percent of an order at the till (积分抵扣, at the anchor).',
  nonPurchaseMonthlyCap: 'Monthly cap on points not from purchases (check-ins, tasks).',
  'expiry.policy': '`yearly`: points expire at the end of the year after the year they were earned. `rolling`: `expiry.days` after earning.',
  'expiry.days': 'Lifetime of a lot in days.',
  'expiry.reminderDays': 'Days before expiry when members are reminded.',
  valueChangeNoticeDays: 'Minimum notice, in days, for a change of the points’ value.',
};

function jsonSchemaOf(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
}

function code(v: unknown): string {
  return `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

/** "integer 1–65535", "one of `a`, `b`", "string, 32+ characters", … */
function rangeOf(s: Json): string {
  if (Array.isArray(s.enum)) return `one of ${s.enum.map(code).join(', ')}`;
  if (s.const !== undefined) return code(s.const);
  const parts: string[] = [];
  const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  if (type === 'integer' || type === 'number') {
    const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum}` : null);
    const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? `<${s.exclusiveMaximum}` : null);
    const lower = lo !== null && lo !== Number.MIN_SAFE_INTEGER ? lo : null;
    const upper = hi !== null && hi !== Number.MAX_SAFE_INTEGER ? hi : null;
    parts.push(lower !== null && upper !== null ? `${type} ${lower}–${upper}` : lower !== null ? `${type} ≥ ${lower}` : upper !== null ? `${type} ≤ ${upper}` : type);
  } else if (type === 'array') {
    const item = s.items ? rangeOf(s.items) : 'any';
    parts.push(`list of ${item}${s.minItems ? `, at least ${s.minItems}` : ''}`);
  } else {
    parts.push(type);
    if (s.format) parts.push(s.format === 'uri' ? 'a URL' : s.format);
    if (s.minLength !== undefined && s.minLength > 1) parts.push(`${s.minLength}+ characters`);
    if (s.minLength === 1) parts.push('not empty');
    if (s.pattern) parts.push(`matching ${code(s.pattern)}`);
  }
  return parts.join(', ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function envSection(): string[] {
  const lines = ['| variable | default | allowed | what it does |', '| --- | --- | --- | --- |'];
  const props = jsonSchemaOf(envSchema).properties as Json;
  for (const [name, s] of Object.entries(props)) {
    const dflt = s.default !== undefined ? code(String(s.default).split(ROOT_DIR).join('<repo>')) : name === 'WECHAT_MODE' ? '`dev` (`real` in production)' : '(unset)';
    lines.push(`| \`${name}\` | ${cell(dflt)} | ${cell(rangeOf(s))} | ${cell(ENV_DESCRIPTIONS[name] ?? '(no description yet: add one to scripts/config-doc.ts)')} |`);
  }
  return lines;
}

/** Leaves of the rules schema: [path, schema, note], with `[]` for list items and union options merged. */
function leaves(s: Json, at: string, note = ''): [string, Json, string][] {
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const options = (s.anyOf ?? s.oneOf) as Json[];
    const out = new Map<string, [string, Json, string]>();
    for (const o of options) {
      const tag = Object.entries((o.properties ?? {}) as Json).find(([, p]) => (p as Json).const !== undefined);
      for (const [p, sch, n] of leaves(o, at)) {
        const only = tag ? `${tag[0]} ${code((tag[1] as Json).const)}` : '';
        const prev = out.get(p);
        if (tag && p === `${at}.${tag[0]}`) out.set(p, [p, { enum: [...((prev?.[1].enum as unknown[]) ?? []), (sch as Json).const] }, '']);
        else if (prev) out.set(p, [p, sch, prev[2] && only ? `${prev[2]}, ${only}` : '']);
        else out.set(p, [p, sch, only ? only : n]);
      }
    }
    // a field present in every option applies to all of them
    return [...out.values()].map(([p, sch, n]) => [p, sch, n.includes(',') ? '' : n]);
  }
  if (s.type === 'object' && s.properties) {
    return Object.entries(s.properties as Json).flatMap(([k, v]) => leaves(v as Json, at ? `${at}.${k}` : k, note));
  }
  if (s.type === 'array' && s.items?.type === 'object') return leaves(s.items, `${at}[]`, note);
  return [[at, s, note]];
}

function valueAt(obj: unknown, p: string): unknown {
  let cur: unknown[] = [obj];
  for (const part of p.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    cur = cur.flatMap((c) => {
      const v = c && typeof c === 'object' ? (c as Json)[key] : undefined;
      return list && Array.isArray(v) ? v : [v];
    });
  }
  const found = cur.filter((v) => v !== undefined);
  if (found.length === 0) return undefined;
  return p.includes('[]') ? found : found[0];
}

function rulesSection(rules: unknown): string[] {
  const lines = ['| rule | default (config/rules.json) | allowed | what it does |', '| --- | --- | --- | --- |'];
  for (const [p, s, note] of leaves(jsonSchemaOf(rulesConfigSchema), '')) {
    const v = valueAt(rules, p);
    const dflt = v === undefined ? '(not set)' : Array.isArray(v) && p.includes('[]') ? v.map(code).join(', ') : code(v);
    const text = `${RULE_DESCRIPTIONS[p] ?? '(no description yet: add one to scripts/config-doc.ts)'}${note ? ` Only with ${note}.` : ''}`;
    lines.push(`| \`${p}\` | ${cell(dflt)} | ${cell(rangeOf(s))} | ${cell(text)} |`);
  }
  return lines;
}

export function renderConfigDoc(): string {
  const rules = JSON.parse(readFileSync(path.join(ROOT_DIR, 'config/rules.json'), 'utf8'));
  return [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` from server/src/config.ts and shared/src/config.ts; do not edit by hand. -->',
    '',
    'Everything is validated at boot: a bad value stops the server (exit code 2) with a message naming the key.',
    'Copy `.env.example` to `.env` for Docker Compose, or export the variables before `npm run start:prod`.',
    '',
    '## Environment variables (server)',
    '',
    ...envSection(),
    '',
    '## Other variables (client build and tests)',
    '',
    '| variable | read by | what it does |',
    '| --- | --- | --- |',
    ...OTHER_VARIABLES.map((v) => `| \`${v.name}\` | ${v.where} | ${cell(v.text)} |`),
    '',
    '## Rules (config/rules.json)',
    '',
    'The rule file is JSON; `RULES_FILE` points the server at another one. Points are integers, money is',
    'integer fen, multipliers are integer percents (150 = 1.5x). Members see the rules in force at',
    '`GET /api/v1/rules`. A change of the points’ value goes through the value-change notice, not an edit here.',
    '',
    ...rulesSection(rules),
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(CONFIG_DOC, renderConfigDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), CONFIG_DOC)}\n`);
}
