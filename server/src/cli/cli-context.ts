import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig, type AppConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { createServices, type Services } from '../services';
import { systemClock } from '../clock';

/**
 * Shared boot for the operator CLIs (`npm run verify`, `npm run expire`): config from the environment
 * (validated like the server's), the DATABASE_URL database with migrations applied, and the services
 * on the wall clock. Never seeds demo data and never listens.
 */
export interface CliContext {
  config: AppConfig;
  ds: DataSource;
  services: Services;
}

/** Writes one line to stdout (server code logs through pino or writes plain lines, never the console). */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Boots, runs `main` and exits with its code: 2 for a bad config (message names the key), 1 for a
 * crash. The database is closed before exiting so a MySQL pool never keeps the process alive.
 */
export function runCli(name: string, main: (ctx: CliContext) => Promise<number>): void {
  const run = async (): Promise<number> => {
    let config: AppConfig;
    try {
      config = loadConfig();
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`${name}: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    const ds = await openDatabase(config.databaseUrl, { poolSize: 5 });
    try {
      return await main({ config, ds, services: createServices(ds, config, systemClock) });
    } finally {
      await ds.destroy();
    }
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${name}: failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
