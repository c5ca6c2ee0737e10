import { out, runCli } from './cli-context';

/**
 * `npm run expire`: one run of the expiry job (due lots expired in bounded batches, reminders created)
 * on the wall clock. Safe beside running servers: work is claimed by leased ranges of member ids (job_lease).
 */
runCli('expire', async ({ services }) => {
  const r = await services.expiry.run({ actor: 'cli:expire' });
  out(`expire: ${r.lotsExpired} lots expired, ${r.pointsExpired} points expired, ${r.membersSkipped} members skipped (leased elsewhere), ${r.remindersCreated} reminders created`);
  return 0;
});
