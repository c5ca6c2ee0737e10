import { verifyLedger } from '../services/verify.service';
import { out, runCli } from './cli-context';

/**
 * `npm run verify`: checks the ledger invariants (DESIGN §3) for every member of DATABASE_URL.
 * Prints "verify: N members checked, OK", or one line per problem; exits 1 on any problem.
 */
runCli('verify', async ({ ds }) => {
  const report = await verifyLedger(ds);
  if (report.problems.length === 0) {
    out(`verify: ${report.membersChecked} members checked, OK`);
    return 0;
  }
  for (const p of report.problems) out(`verify: ${p}`);
  out(`verify: ${report.membersChecked} members checked, ${report.problems.length} problem(s)`);
  return 1;
});
