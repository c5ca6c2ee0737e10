import { parseArgs } from 'node:util';
import { StaffEntity, StoreEntity, type Staff } from '../db/entities';
import { isUniqueViolation } from '../db/transaction';
import { generatePassword } from '../services/passwords';
import { out, runCli } from './cli-context';

/**
 * `npm run staff -- add --username NAME --role clerk|marketing|admin [--store CODE] [--password PW]`
 * `npm run staff -- list`
 *
 * Without --password a random one is generated and printed once (only its scrypt hash is stored; it
 * cannot be shown again). A generated password is preferred over a prompt: it is strong, and the
 * command works the same from a terminal and from a script.
 * Exit codes: 0 done, 1 failed (config, database, unknown store, username taken), 2 bad usage.
 */
const USAGE = [
  'usage:',
  '  npm run staff -- add --username NAME --role clerk|marketing|admin [--store CODE] [--password PW]',
  '  npm run staff -- list',
  '',
  '  --username  2-64 of a-z 0-9 _ . - (lower case, starting with a letter or digit)',
  '  --role      clerk (needs --store: the store code, e.g. A), marketing or admin (no store)',
  '  --password  at least 8 characters; omit it to generate one (printed once)',
].join('\n');

const ROLES = ['clerk', 'marketing', 'admin'] as const;
const USERNAME = /^[a-z0-9][a-z0-9_.-]{1,63}$/;
const PASSWORD_LENGTH_MIN = 8;
const PASSWORD_LENGTH_MAX = 200; // the login schema's limit
const LIST_SIZE_MAX = 1000;

type Command = { kind: 'list' } | { kind: 'add'; username: string; role: Staff['role']; storeCode: string | null; password: string | null };

class UsageError extends Error {}

function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command === 'list') {
    if (rest.length > 0) throw new UsageError(`list takes no arguments (got ${rest.join(' ')})`);
    return { kind: 'list' };
  }
  if (command !== 'add') throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { username: { type: 'string' }, role: { type: 'string' }, store: { type: 'string' }, password: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { username, role, store, password } = values;
  if (!username || !USERNAME.test(username)) throw new UsageError('--username is required: 2-64 of a-z 0-9 _ . -');
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError('--role must be clerk, marketing or admin');
  if (role === 'clerk' && !store) throw new UsageError('a clerk needs --store CODE');
  if (role !== 'clerk' && store !== undefined) throw new UsageError(`--store is only for clerks (a ${role} is not bound to a store)`);
  if (password !== undefined && (password.length < PASSWORD_LENGTH_MIN || password.length > PASSWORD_LENGTH_MAX)) {
    throw new UsageError(`--password must be ${PASSWORD_LENGTH_MIN}-${PASSWORD_LENGTH_MAX} characters`);
  }
  return { kind: 'add', username, role: role as Staff['role'], storeCode: store ?? null, password: password ?? null };
}

let command: Command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`staff: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}

runCli('staff', async ({ services }) => {
  const m = services.tx.manager;
  if (command.kind === 'list') {
    const stores = new Map((await m.getRepository(StoreEntity).find()).map((s) => [s.id, s]));
    const rows = await m.getRepository(StaffEntity).find({ order: { id: 'ASC' }, take: LIST_SIZE_MAX });
    out(['id', 'username', 'role', 'store', 'status', 'created'].join('\t'));
    for (const s of rows) {
      const store = s.storeId === null ? '-' : `${stores.get(s.storeId)?.code ?? `#${s.storeId}`} ${stores.get(s.storeId)?.name ?? ''}`.trim();
      out([s.id, s.username, s.role, store, s.disabled ? 'disabled' : 'active', new Date(s.createdAt).toISOString()].join('\t'));
    }
    out(`${rows.length} staff account(s)`);
    return 0;
  }

  const { username, role, storeCode } = command;
  const store = storeCode === null ? null : await m.getRepository(StoreEntity).findOne({ where: { code: storeCode } });
  if (storeCode !== null && !store) {
    process.stderr.write(`staff: no store with code "${storeCode}"\n`);
    return 1;
  }
  if (await m.getRepository(StaffEntity).findOne({ where: { username } })) {
    process.stderr.write(`staff: username "${username}" is taken\n`);
    return 1;
  }
  const password = command.password ?? generatePassword();
  let staff: Staff;
  try {
    staff = await services.staff.add({ username, password, role, storeCode });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    process.stderr.write(`staff: username "${username}" is taken\n`);
    return 1;
  }
  out(`added ${role} "${staff.username}" (id ${staff.id}${store ? `, store ${store.code} ${store.name}` : ''})`);
  if (command.password === null) out(`password: ${password}\n(shown once: only its hash is stored; hand it to the user now)`);
  return 0;
});
