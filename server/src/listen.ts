import http from 'node:http';
import type { AppConfig } from './config';

/**
 * The HTTP server around the app's callback, on the configured address. Outside production HOST defaults to
 * 127.0.0.1: the demo (dev logins, demo passwords) is reachable from this machine only unless HOST says
 * otherwise. Timeouts bound what one slow client can hold: the headers must arrive within
 * `headersTimeoutMs`, the whole request within `requestTimeoutMs`, and an idle keep-alive socket closes.
 */
export const SERVER_TIMEOUTS = { headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000 } as const;

export function createHttpServer(callback: http.RequestListener): http.Server {
  const server = http.createServer(callback);
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeoutMs;
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeoutMs;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeoutMs;
  return server;
}

/** The line saying where the server listens (printed at start). */
export function listeningLine(config: Pick<AppConfig, 'host' | 'port'>, hostFromEnv: boolean): string {
  if (!config.host) return `Listening on every interface, port ${config.port}`;
  const local = config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost';
  return `Listening on ${config.host}:${config.port}${local && !hostFromEnv ? ' only (this machine); set HOST=0.0.0.0 to accept other machines' : ''}`;
}

export function listen(server: http.Server, config: Pick<AppConfig, 'host' | 'port'>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if (config.host) server.listen(config.port, config.host, done);
    else server.listen(config.port, done);
  });
}
