import { out, runCli } from './cli-context';
import { parseStaffCommand, runStaffCommand, UsageError, USAGE, type StaffCommand } from './staff-command';

/**
 * `npm run staff -- add|list|disable|enable|role|store|password ...` (see USAGE in ./staff-command.ts).
 *
 * Without --password a random one is generated and printed once (only its scrypt hash is stored; it
 * cannot be shown again). A generated password is preferred over a prompt: it is strong, and the
 * command works the same from a terminal and from a script.
 * Exit codes: 0 done, 1 failed (config, database, unknown account or store, taken name, last admin), 2 bad usage.
 */
let command: StaffCommand;
try {
  command = parseStaffCommand(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`staff: ${e.message}\n${USAGE}\n`);
  process.exit(2);
}

runCli('staff', ({ services }) => runStaffCommand(command, services, { out, err: (line) => process.stderr.write(`${line}\n`) }));
