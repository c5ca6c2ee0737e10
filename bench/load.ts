import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Load generation and figures for the bench: a fixed-concurrency pool, a keep-alive HTTP client, percentiles. */

export interface PhaseFigures {
  requests: number;
  ok: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  errorSamples: string[];
  elapsedS: number;
  throughputPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  concurrency: number;
  stoppedByDeadline: boolean;
}

const ERROR_SAMPLES_MAX = 5;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Runs `total` operations with exactly `concurrency` in flight until done or `deadlineMs` (wall clock,
 * no new operation starts after it). Each op resolves to ok or a short error label (e.g. "409 CODE_USED").
 */
export async function runPool(
  total: number,
  concurrency: number,
  deadlineMs: number,
  op: (k: number) => Promise<true | string>,
): Promise<PhaseFigures> {
  const latencies = new Float64Array(total);
  let next = 0;
  let done = 0;
  let ok = 0;
  const errorsByStatus: Record<string, number> = {};
  const errorSamples: string[] = [];
  let stoppedByDeadline = false;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (Date.now() >= deadlineMs) {
        if (next < total) stoppedByDeadline = true;
        return;
      }
      const k = next++;
      if (k >= total) return;
      const t0 = performance.now();
      let result: true | string;
      try {
        result = await op(k);
      } catch (e) {
        result = `exception ${(e as Error).message}`;
      }
      latencies[done++] = performance.now() - t0;
      if (result === true) ok++;
      else {
        const label = result.split(' ')[0]!;
        errorsByStatus[label] = (errorsByStatus[label] ?? 0) + 1;
        if (errorSamples.length < ERROR_SAMPLES_MAX) errorSamples.push(result.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const sorted = latencies.subarray(0, done).sort();
  return {
    requests: done,
    ok,
    errors: done - ok,
    errorsByStatus,
    errorSamples,
    elapsedS: round2(elapsedMs / 1000),
    throughputPerS: round2(done / (elapsedMs / 1000)),
    p50Ms: round2(percentile(sorted, 50)),
    p90Ms: round2(percentile(sorted, 90)),
    p99Ms: round2(percentile(sorted, 99)),
    maxMs: round2(sorted.length ? sorted[sorted.length - 1]! : 0),
    concurrency,
    stoppedByDeadline,
  };
}

/** A small JSON client on one keep-alive agent (one socket per in-flight request, reused). */
export class JsonClient {
  private readonly agent: http.Agent;

  constructor(private readonly port: number, socketsMax: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: socketsMax, maxFreeSockets: socketsMax });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** "409 CODE_USED" from an error response, for the error tally. */
export function errorLabel(res: { status: number; body: any }): string {
  return `${res.status} ${res.body?.error?.code ?? ''} ${typeof res.body === 'string' ? res.body.slice(0, 100) : ''}`.trim();
}

/** Peak resident set and heap of this process, sampled; reset per phase. */
export class MemorySampler {
  private rssPeak = 0;
  private heapPeak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rssPeak) this.rssPeak = m.rss;
    if (m.heapUsed > this.heapPeak) this.heapPeak = m.heapUsed;
  }

  /** Peaks since the last reset, in MiB. */
  take(reset = false): { rssPeakMb: number; heapUsedPeakMb: number } {
    this.sample();
    const out = { rssPeakMb: round2(this.rssPeak / 1048576), heapUsedPeakMb: round2(this.heapPeak / 1048576) };
    if (reset) {
      const m = process.memoryUsage();
      this.rssPeak = m.rss;
      this.heapPeak = m.heapUsed;
    }
    return out;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Signs each clerk in through the API and returns their tokens, in order (a refusal stops the bench). */
export async function clerkTokens(client: JsonClient, clerks: readonly { username: string; password: string }[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const c of clerks) {
    const res = await client.request('POST', '/api/v1/auth/staff', { username: c.username, password: c.password });
    if (res.status !== 200) throw new Error(`clerk login ${c.username}: ${errorLabel(res)}`);
    tokens.push(res.body.token);
  }
  return tokens;
}
