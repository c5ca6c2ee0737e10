import { out, runCli } from './cli-context';

/**
 * `npm run tiers`: one run of the tier job on the wall clock (what the server also runs on its interval):
 * members from before stored tiers get the tier the rules say, anniversaries due are kept or dropped, and the
 * "再得 N 分保级" warnings go out once per tier year. Idempotent: a second run changes nothing.
 */
runCli('tiers', async ({ services }) => {
  const r = await services.tiers.run();
  out(`tiers: ${r.backfilled} backfilled, ${r.kept} kept, ${r.dropped} dropped, ${r.warned} warned`);
  return 0;
});
