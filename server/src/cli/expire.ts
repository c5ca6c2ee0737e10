import { out, runCli } from './cli-context';

/**
 * `npm run expire`: one run of the expiry job (due lots expired in bounded batches, reminders created)
 * on the wall clock. Safe beside running servers: members are claimed with FOR UPDATE SKIP LOCKED.
 */
runCli('expire', async ({ services }) => {
  const r = await services.expiry.run({ actor: 'cli:expire' });
  out(`expire: ${r.lotsExpired} lots expired, ${r.pointsExpired} points expired, ${r.membersSkipped} members skipped (locked), ${r.remindersCreated} reminders created`);
  return 0;
});
