import 'reflect-metadata';
import path from 'node:path';
import { ConfigError, ROOT_DIR, loadConfig } from './config';
import { createLogger } from './logger';
import { openDatabase } from './db/data-source';
import { createServices } from './services';
import { createApp } from './app';
import { seedDemo, DEMO_MEMBERS, DEMO_PASSWORD, DEMO_STAFF } from './seed/demo-seed';
import { systemClock } from './clock';
import { h5Site } from './h5-site';
import { createHttpServer, listen, listeningLine } from './listen';

const H5_DIR = path.join(ROOT_DIR, 'client/dist/h5');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const ds = await openDatabase(config.databaseUrl);
  log.info({ db: ds.options.type }, 'database ready (migrations applied)');
  if (config.env !== 'production') {
    const { seeded } = await seedDemo(ds, config, systemClock());
    if (seeded) log.info('demo data seeded');
  }
  // Development convenience: a missing H5 client is built in the background while the API already answers.
  const site = h5Site({ h5Dir: H5_DIR, dataDir: config.dataDir, cwd: ROOT_DIR, log, build: config.env !== 'production' });
  const services = createServices(ds, config, systemClock);
  const app = createApp(services, log, site.middleware);
  const server = createHttpServer(app.callback());
  await listen(server, config);
  // Entries from before rules were versioned get the base version, in short transactions beside the server.
  services.ledger.versions.backfillUnversioned().then(
    (n) => n > 0 && log.info({ entries: n }, 'rules version backfilled'),
    (e) => log.error({ err: e }, 'rules version backfill failed'),
  );
  // Stored tiers (保级): members from before them get the tier the rules say now, once (then the interval's job).
  services.tiers.backfill().then(
    (n) => n > 0 && log.info({ backfilled: n }, 'tiers backfilled'),
    (e) => log.error({ err: e }, 'tier backfill failed'),
  );
  const shownHost = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${config.port}`;
  const lines = [
    '',
    `Jifen is running: ${url}  (API under ${url}/api/v1, database: ${ds.options.type})`,
    listeningLine(config, Boolean(process.env.HOST)),
    ...(config.secretsFile ? [`Secrets: generated once and kept in ${config.secretsFile}`] : []),
    ...(config.env !== 'production'
      ? [
          `Members (WECHAT_MODE=${config.wechat.mode}): log in as ${DEMO_MEMBERS.map((n) => `dev:${n}`).join(', ')}`,
          `Staff (password ${DEMO_PASSWORD}): ${DEMO_STAFF.map((st) => `${st.username} (${st.role}${st.store ? `, store ${st.store}` : ''})`).join(', ')}`,
        ]
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  // Hourly expiry inside the server; bounded batches, safe with several instances (leased ranges of members, job_lease).
  const timer =
    config.expiryIntervalMinutes > 0
      ? setInterval(() => {
          services.expiry.run().then(
            (r) => r.lotsExpired > 0 && log.info(r, 'expiry run'),
            (e) => log.error({ err: e }, 'expiry run failed'),
          );
          // Points economics (issue 10): value changes due (rules switch + compensation), below-cost retirement, inflation guard, yearly cap.
          services.economyJob.tick().then(
            (r) => r.valueChanges.changesApplied + r.valueChanges.membersCompensated + r.retiredBelowCost > 0 && log.info(r, 'economics run'),
            (e) => log.error({ err: e }, 'economics run failed'),
          );
          // Inviter rewards whose order's return window is over (or whose after-commit step failed) are paid here (idempotent, bounded).
          services.invites.settlePendingInvites().catch((e) => log.error({ err: e }, 'invite settlement failed'));
          // Tiers (保级, issue 11.4): anniversaries due are kept or dropped, and the 30-day warnings go out (idempotent, bounded).
          services.tiers.run().then(
            (r) => r.backfilled + r.kept + r.dropped + r.warned > 0 && log.info(r, 'tier run'),
            (e) => log.error({ err: e }, 'tier run failed'),
          );
          // The ledger's daily rollups catch up (the health report reads them; issue 14.4).
          services.rollups.catchUp().catch((e) => log.error({ err: e }, 'rollup catch-up failed'));
        }, config.expiryIntervalMinutes * 60_000)
      : null;
  // The notice outbox to WeChat subscribe messages (claims with expiry: safe with several instances).
  const outboxTimer =
    config.outboxIntervalSeconds > 0
      ? setInterval(() => {
          services.outbox.deliver().then(
            (r) => r.claimed > 0 && log.info(r, 'outbox delivery'),
            (e) => log.error({ err: e }, 'outbox delivery failed'),
          );
        }, config.outboxIntervalSeconds * 1000)
      : null;
  const stop = () => {
    if (timer) clearInterval(timer);
    if (outboxTimer) clearInterval(outboxTimer);
    site.stop();
    server.close(() => void ds.destroy().then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`fatal: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
