import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The real app in its own process (bench/server.ts) for `npm run bench` and the scripts beside it
 * (sqlite.ts, open-loop.ts) ('ready' with the port, 'stats' with memory, CPU and
 * statements since the last reset, 'stop').
 */
export interface AppStats {
  rssPeakMb: number;
  heapUsedPeakMb: number;
  cpuMs: number;
  statements: number;
}

export class AppProcess {
  private waiting: ((msg: AppStats) => void)[] = [];

  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.on('message', (msg: any) => {
      if (msg?.type === 'stats') this.waiting.shift()?.(msg.memory);
    });
  }

  static start(env: NodeJS.ProcessEnv): Promise<AppProcess> {
    // BENCH_CPU_PROFILE=<dir>: the app writes a V8 .cpuprofile there on exit (open it in Chrome DevTools).
    const profile = env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROFILE}`] : [];
    const child = fork(path.join(__dirname, 'server.ts'), [], { execArgv: ['--import', 'tsx', ...profile], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the app did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the app exited during start (code ${code})`)));
      child.on('message', (msg: any) => {
        if (msg?.type !== 'ready') return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new AppProcess(child, msg.port));
      });
    });
  }

  stats(reset = false): Promise<AppStats> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ cmd: 'stats', reset });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.send({ cmd: 'stop' });
    });
  }
}

/** The app's environment for a bench: dev WeChat, silent logs, no expiry timer, request limits off. */
export function benchEnv(databaseUrl: string, secrets: { JWT_SECRET: string; MEMBER_CODE_SECRET: string }, poolSize: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    WECHAT_MODE: 'dev',
    LOG_LEVEL: 'silent',
    EXPIRY_INTERVAL_MINUTES: '0',
    BENCH_POOL_SIZE: String(poolSize),
    RATE_LIMIT_MEMBER_PER_MINUTE: '0',
    RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
    RATE_LIMIT_NEW_MEMBERS_PER_ADDRESS_PER_HOUR: '0',
    ...secrets,
  };
}

/** Median with its spread, as "m [min..max]". */
export function spread(values: number[], digits = 1): string {
  const v = [...values].sort((a, b) => a - b);
  const med = v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  const f = (x: number) => x.toFixed(digits);
  return v.length === 1 ? f(med) : `${f(med)} [${f(v[0]!)}..${f(v[v.length - 1]!)}]`;
}
