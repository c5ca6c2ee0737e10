import { out, runCli } from './cli-context';

/**
 * `npm run economics`: one run of the points-economics job on the wall clock (what the server also runs on
 * its interval): value changes due are applied with their compensation (bounded batches, resumable, each
 * member paid once per change), rewards whose price in force fell below cost are retired, then the inflation
 * guard and the yearly cap are evaluated.
 */
runCli('economics', async ({ services }) => {
  const r = await services.economyJob.tick({ actor: 'cli:economics' });
  out(
    `economics: ${r.valueChanges.changesApplied} value changes applied, ${r.valueChanges.membersCompensated} members compensated (${r.valueChanges.compensationPoints} points); ${r.retiredBelowCost} rewards retired below cost; guard ${r.guard}; cap ${r.cap}`,
  );
  return 0;
});
