#!/usr/bin/env node
/**
 * `npm test`: every pass, summed into one closing line "N passed, N failed".
 *  1. shared rules + the server suite on SQLite (always; no database server needed)
 *  2. the server suite again on MySQL/MariaDB when TEST_MYSQL_URL is set (CI always sets it)
 *  3. the weapp build with its package-size check (one check), beside the H5 build of step 4
 *  4. the browser end-to-end suite (H5 build in Debian's Chromium) when /usr/bin/chromium exists;
 *     under CI=true a missing Chromium is a failure, never a silent skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = mkdtempSync(path.join(tmpdir(), 'jifen-test-'));
const extra = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };
const failures = [];

function jest(name, args, env) {
  const file = path.join(out, `${name}.json`);
  process.stdout.write(`\n=== ${name} ===\n`);
  const r = spawnSync('npx', ['jest', ...args, '--json', `--outputFile=${file}`, ...extra], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (!existsSync(file)) {
    totals.failed += 1;
    failures.push(`${name}: jest produced no results (exit ${r.status})`);
    return;
  }
  const res = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += res.numPassedTests;
  totals.failed += res.numFailedTests + res.numRuntimeErrorTestSuites;
  if (res.numFailedTests + res.numRuntimeErrorTestSuites > 0 || r.status !== 0) {
    failures.push(`${name}: ${res.numFailedTests} failed tests, ${res.numRuntimeErrorTestSuites} suites failed to run`);
    if (res.numFailedTests + res.numRuntimeErrorTestSuites === 0) totals.failed += 1;
  }
}

jest('sqlite', ['--selectProjects', 'shared', 'server', '--maxWorkers=2'], { TEST_DB: 'sqlite' });

if (process.env.TEST_MYSQL_URL) {
  jest('mysql', ['--selectProjects', 'server', '--maxWorkers=2'], { TEST_DB: 'mysql' });
} else {
  process.stdout.write('\n(MySQL pass skipped: set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 to run the server suite on MySQL/MariaDB too)\n');
}

// The weapp build must succeed and its main package stay under WeChat's limit (check-size.mjs fails above
// 1.5 MB): counted as one check. It runs beside the H5 build (two webpack builds, each mostly on one core:
// together ~3 min instead of ~4.5 min one after the other on the loaded 2-core machine) and is awaited before
// the browser tests start, so they never share the CPU with it. Its output goes to a file, shown when it ends.
const weappLog = path.join(out, 'weapp-build.log');
const weappFd = openSync(weappLog, 'w');
const weappChild = spawn('npm', ['run', 'build:weapp'], { cwd: root, stdio: ['ignore', weappFd, weappFd] });
closeSync(weappFd);
const weappDone = new Promise((resolve) => {
  weappChild.on('error', () => resolve(1));
  weappChild.on('exit', (code) => resolve(code ?? 1));
});
async function weappResult() {
  const status = await weappDone;
  const log = readFileSync(weappLog, 'utf8');
  process.stdout.write('\n=== weapp build and package sizes ===\n');
  // The size table on success (the progress bars are noise); everything when it failed.
  process.stdout.write(status === 0 ? `${log.split('\n').filter((l) => /appid|KB|MB|Compiled/.test(l)).join('\n')}\n` : log);
  if (status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(`weapp: npm run build:weapp failed or a package is over the size limit (exit ${status}; log above)`);
  }
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  process.stdout.write('\n=== building the H5 client for the browser tests (the weapp build runs beside it) ===\n');
  const b = spawnSync('npm', ['run', 'build:h5'], { cwd: root, stdio: 'inherit' });
  await weappResult();
  if (b.status !== 0) {
    totals.failed += 1;
    failures.push('e2e: npm run build:h5 failed');
  } else {
    jest('e2e', ['--selectProjects', 'e2e', '--maxWorkers=1'], { CHROMIUM_PATH: chromium });
  }
} else {
  await weappResult();
  if (process.env.CI) {
    totals.failed += 1;
    failures.push(`e2e: ${chromium} not found (CI must install chromium)`);
  } else {
    process.stdout.write(`\n(browser tests skipped: ${chromium} not found; apt-get install chromium to run them)\n`);
  }
}

if (failures.length) process.stdout.write(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed > 0 ? 1 : 0);
