import { verifyLedger } from '../services/verify.service';
import { out, runCli } from './cli-context';

/**
 * `npm run verify`: checks the ledger invariants (DESIGN §3) and the daily rollups for every member of
 * DATABASE_URL, in pages of 10,000 members with a progress line on stderr (past the first page). Prints "verify: N members
 * checked, OK", or one line per problem (the first 1000); exits 1 on any problem.
 */
runCli('verify', async ({ ds, config }) => {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let last = 0;
  const report = await verifyLedger(ds, {
    timezone: config.rules.timezone,
    progress: (done, total) => {
      if (total <= 10_000) return; // one page: nothing to wait for
      const now = Date.now();
      if (now - last < 1000 && done < total) return;
      last = now;
      const s = (now - started) / 1000;
      const line = `verify: ${done}/${total} members (${Math.round((done / Math.max(1, total)) * 100)}%), ${Math.round(done / Math.max(s, 0.001))}/s, ${Math.round(s * 10) / 10} s`;
      process.stderr.write(tty ? `\r${line}${done >= total ? '\n' : ''}` : `${line}\n`);
    },
  });
  if (report.problems.length === 0) {
    out(`verify: ${report.membersChecked} members checked, OK`);
    return 0;
  }
  for (const p of report.problems) out(`verify: ${p}`);
  out(`verify: ${report.membersChecked} members checked, ${report.problems.length} problem(s)`);
  return 1;
});
