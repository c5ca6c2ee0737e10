import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ERRORS, STAFF_ROLES, STAFF_USERNAME_RE, stripUnsafeText, type StaffRole } from '@jifen/shared';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { Actor } from '../services/audit.service';

/**
 * `npm run staff -- <command>`: the operator's way to manage staff accounts without the back office (the
 * first admin, a locked-out brand). The commands call the same StaffAdminService methods as the API, so
 * each change is audited (actor "cli:<os user>") and a change of access ends the account's sessions.
 * Parsing and running are split so tests can run commands in-process.
 * Exit codes: 0 done, 1 refused or failed (unknown account or store, taken name, last admin...), 2 bad usage.
 */
export const USAGE = [
  'usage:',
  '  npm run staff -- add --username NAME --role clerk|marketing|service|admin [--store CODE] [--password PW] [--name DISPLAY]',
  '  npm run staff -- list',
  '  npm run staff -- disable NAME',
  '  npm run staff -- enable NAME',
  '  npm run staff -- role NAME clerk|marketing|service|admin [--store CODE]',
  '  npm run staff -- store NAME CODE',
  '  npm run staff -- password NAME [--password PW]',
  '',
  '  NAME / --username  2-64 of a-z 0-9 _ . - (lower case, starting with a letter or digit)',
  '  --role / ROLE      clerk (needs a store: its code, e.g. A), marketing, service or admin (no store)',
  '  --password         at least 8 characters; omit it to generate one (printed once)',
  '  disable, enable, role, store and password end the account\'s open sessions at their next request.',
].join('\n');

const PASSWORD_LENGTH_MIN = 8;
const PASSWORD_LENGTH_MAX = 200; // the login schema's limit
const LIST_SIZE_MAX = 1000;

export type StaffCommand =
  | { kind: 'list' }
  | { kind: 'add'; username: string; role: StaffRole; storeCode: string | null; password: string | null; displayName: string }
  | { kind: 'disable' | 'enable'; username: string }
  | { kind: 'role'; username: string; role: StaffRole; storeCode: string | null }
  | { kind: 'store'; username: string; storeCode: string }
  | { kind: 'password'; username: string; password: string | null };

export class UsageError extends Error {}

function options(args: string[], names: string[], positionals: number): { values: Record<string, string | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true, allowPositionals: positionals > 0 });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.positionals.length !== positionals) throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return { values: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
}

function username(v: string | undefined, what = 'NAME'): string {
  if (!v || !STAFF_USERNAME_RE.test(v)) throw new UsageError(`${what} is required: 2-64 of a-z 0-9 _ . -`);
  return v;
}

function role(v: string | undefined, what: string): StaffRole {
  if (!v || !(STAFF_ROLES as readonly string[]).includes(v)) throw new UsageError(`${what} must be clerk, marketing, service or admin`);
  return v as StaffRole;
}

function storeFor(r: StaffRole, store: string | undefined): string | null {
  if (r === 'clerk' && !store) throw new UsageError('a clerk needs --store CODE');
  if (r !== 'clerk' && store !== undefined) throw new UsageError(`--store is only for clerks (a ${r} is not bound to a store)`);
  return store ?? null;
}

function password(v: string | undefined): string | null {
  if (v !== undefined && (v.length < PASSWORD_LENGTH_MIN || v.length > PASSWORD_LENGTH_MAX)) {
    throw new UsageError(`--password must be ${PASSWORD_LENGTH_MIN}-${PASSWORD_LENGTH_MAX} characters`);
  }
  return v ?? null;
}

/** The command line as a command, or UsageError (exit 2) before anything is opened. */
export function parseStaffCommand(argv: string[]): StaffCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case 'list':
      if (rest.length > 0) throw new UsageError(`list takes no arguments (got ${rest.join(' ')})`);
      return { kind: 'list' };
    case 'add': {
      const { values: v } = options(rest, ['username', 'role', 'store', 'password', 'name'], 0);
      const r = role(v.role, '--role');
      const name = username(v.username, '--username');
      return { kind: 'add', username: name, role: r, storeCode: storeFor(r, v.store), password: password(v.password), displayName: stripUnsafeText(v.name ?? '').slice(0, 32) };
    }
    case 'disable':
    case 'enable': {
      const { positionals } = options(rest, [], 1);
      return { kind: command, username: username(positionals[0]) };
    }
    case 'role': {
      const { values: v, positionals } = options(rest, ['store'], 2);
      const r = role(positionals[1], 'ROLE');
      return { kind: 'role', username: username(positionals[0]), role: r, storeCode: storeFor(r, v.store) };
    }
    case 'store': {
      const { positionals } = options(rest, [], 2);
      return { kind: 'store', username: username(positionals[0]), storeCode: positionals[1]! };
    }
    case 'password': {
      const { values: v, positionals } = options(rest, ['password'], 1);
      return { kind: 'password', username: username(positionals[0]), password: password(v.password) };
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Who the audit trail names for a CLI change: the operating-system user, no staff id, no role. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (containers): keep "unknown" */
  }
  return { staffId: null, username: `cli:${user}`.slice(0, 64), role: null, storeId: null, ip: 'cli', requestId: `cli-${randomUUID()}` };
}

const SESSIONS_END = 'its open sessions end at their next request';

/** Runs a parsed command; answers the exit code (0 done, 1 refused or failed). */
export async function runStaffCommand(cmd: StaffCommand, services: Services, io: CliIo, actor: Actor = cliActor()): Promise<number> {
  const admin = services.staffAdmin;
  if (cmd.kind === 'list') {
    const { staff } = await admin.list();
    io.out(['id', 'username', 'role', 'store', 'status', 'created'].join('\t'));
    for (const s of staff.slice(0, LIST_SIZE_MAX)) {
      const store = s.storeId === null ? '-' : `${s.storeCode ?? `#${s.storeId}`} ${s.storeName ?? ''}`.trim();
      io.out([s.id, s.username, s.role, store, s.disabled ? 'disabled' : 'active', s.createdAt].join('\t'));
    }
    io.out(`${staff.length} staff account(s)`);
    return 0;
  }

  const storeId = async (code: string | null): Promise<number | null | 'missing'> => {
    if (code === null) return null;
    return (await services.stores.idOf(code)) ?? 'missing';
  };
  try {
    if (cmd.kind === 'add') {
      const sid = await storeId(cmd.storeCode);
      if (sid === 'missing') return fail(io, `no store with code "${cmd.storeCode}"`);
      const out = await admin.create(actor, { username: cmd.username, role: cmd.role, storeId: sid, displayName: cmd.displayName, password: cmd.password ?? undefined });
      const st = out.staff;
      io.out(`added ${st.role} "${st.username}" (id ${st.id}${st.storeCode ? `, store ${st.storeCode} ${st.storeName}` : ''})`);
      if (cmd.password === null) io.out(`password: ${out.password}\n(shown once: only its hash is stored; hand it to the user now)`);
      return 0;
    }

    const id = await admin.idOf(cmd.username);
    if (id === null) return fail(io, `no staff account "${cmd.username}"`);
    const before = await admin.get(id);
    switch (cmd.kind) {
      case 'disable':
      case 'enable': {
        if (before.disabled === (cmd.kind === 'disable')) {
          io.out(`"${before.username}" is already ${cmd.kind}d`);
          return 0;
        }
        const after = cmd.kind === 'disable' ? await admin.disable(actor, id) : await admin.enable(actor, id);
        io.out(`${cmd.kind}d "${after.username}" (id ${after.id}); ${SESSIONS_END}`);
        return 0;
      }
      case 'role': {
        const sid = await storeId(cmd.storeCode);
        if (sid === 'missing') return fail(io, `no store with code "${cmd.storeCode}"`);
        const after = await admin.changeRole(actor, id, cmd.role, sid);
        if (after.role === before.role && after.storeId === before.storeId) io.out(`"${after.username}" is already ${after.role}${after.storeCode ? ` at store ${after.storeCode}` : ''}`);
        else io.out(`"${after.username}": ${before.role}${before.storeCode ? ` (${before.storeCode})` : ''} -> ${after.role}${after.storeCode ? ` (${after.storeCode})` : ''}; ${SESSIONS_END}`);
        return 0;
      }
      case 'store': {
        const sid = await storeId(cmd.storeCode);
        if (sid === 'missing' || sid === null) return fail(io, `no store with code "${cmd.storeCode}"`);
        const after = await admin.changeStore(actor, id, sid);
        if (after.storeId === before.storeId) io.out(`"${after.username}" is already at store ${after.storeCode}`);
        else io.out(`"${after.username}": store ${before.storeCode ?? '-'} -> ${after.storeCode}; ${SESSIONS_END}`);
        return 0;
      }
      case 'password': {
        const out = await admin.resetPassword(actor, id, cmd.password ?? undefined);
        io.out(`new password set for "${out.staff.username}"; ${SESSIONS_END}`);
        if (cmd.password === null) io.out(`password: ${out.password}\n(shown once: only its hash is stored; hand it to the user now)`);
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof AppError) return fail(io, refusal(e));
    throw e;
  }
}

function refusal(e: AppError): string {
  if (e.code === 'USERNAME_TAKEN') return 'username is taken';
  if (e.code === 'VALIDATION_FAILED') return `refused: ${JSON.stringify(e.details)}`;
  return `refused: ${e.code}: ${ERRORS[e.code].en}`;
}

function fail(io: CliIo, message: string): number {
  io.err(`staff: ${message}`);
  return 1;
}
