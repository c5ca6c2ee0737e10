import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../server/src/config';
import { openDatabase } from '../server/src/db/data-source';
import { createServices } from '../server/src/services';
import { createApp } from '../server/src/app';
import { createLogger } from '../server/src/logger';
import { systemClock } from '../server/src/clock';
import { MemorySampler } from './load';

/**
 * The real app for the bench, in its own process (so the load generator does not share its event loop):
 * config from the environment exactly as the server reads it, the wall clock, listening on 127.0.0.1.
 * Talks to bench/run.ts over IPC: 'ready' with the port; 'stats' answers the memory peaks and CPU time
 * used since the last reset; 'stop' exits.
 */
type Msg = { cmd: 'stats'; reset?: boolean } | { cmd: 'stop' };

async function main(): Promise<void> {
  const memory = new MemorySampler();
  const config = loadConfig();
  const ds = await openDatabase(config.databaseUrl, { poolSize: Number(process.env.BENCH_POOL_SIZE ?? 32) });
  // Statements sent to MariaDB, counted on every pooled connection (MariaDB's own counters are shared with
  // whatever else runs on the server): the bench divides them by the requests of a phase.
  let statements = 0;
  const counted = new WeakSet<object>();
  const pool = (ds.driver as unknown as { pool?: { on(e: string, f: (c: any) => void): void } }).pool;
  pool?.on('acquire', (conn: { query: (...a: unknown[]) => unknown }) => {
    if (counted.has(conn)) return;
    counted.add(conn);
    const query = conn.query.bind(conn);
    conn.query = (...a: unknown[]) => {
      statements += 1;
      return query(...a);
    };
  });
  const services = createServices(ds, config, systemClock);
  const app = createApp(services, createLogger('silent'));
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let cpuSince = process.cpuUsage();
  process.on('message', (msg: Msg) => {
    if (msg.cmd === 'stats') {
      const cpu = process.cpuUsage(cpuSince);
      if (msg.reset) cpuSince = process.cpuUsage();
      process.send!({ type: 'stats', memory: { ...memory.take(msg.reset), cpuMs: Math.round((cpu.user + cpu.system) / 1000), statements } });
      if (msg.reset) statements = 0;
    }
    if (msg.cmd === 'stop') {
      memory.stop();
      server.closeAllConnections();
      server.close(() => void ds.destroy().then(() => process.exit(0)));
    }
  });
  process.on('disconnect', () => process.exit(0)); // the bench went away: never linger
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch((e) => {
  process.stderr.write(`bench server: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
