#!/usr/bin/env node
// Conveyor pipeline benchmark. Run from the repository root with `npm run bench` (it builds
// first). Measures, in one run: raw sharp vs. the whole pipeline over HTTP for one photo at a
// time, and jobs per second for many small images, in embedded and distributed mode.
// See bench/README.md for what each figure means.
//
// Optional environment:
//   BENCH_MODES=embedded,nats     which deployments to run (default both)
//   BENCH_PG_ADMIN_URL            where to create the throw-away database
//                                 (default postgres://postgres@127.0.0.1:5432/test)
//   BENCH_NATS_URL                NATS with JetStream (default nats://127.0.0.1:4222)
//   BENCH_LOG_LEVEL               the servers' LOG_LEVEL (default warn)
//   BENCH_WORKER_CONCURRENCY      the servers' WORKER_CONCURRENCY (default: the server's own)
//   BENCH_CLI                     another CLI entry point (default apps/cli/dist/main.js)
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { startCpuAccounting } from './cpu-accounting.mjs';
import { startDistributed, startEmbedded } from './deployments.mjs';
import { makePhotoJpeg, makeSmallPng } from './fixtures.mjs';
import { measureLatency, measureRawSharp, measureThroughput, warmUp } from './measurements.mjs';
import { CLI, closeAllScopes, createScope } from './processes.mjs';
import { renderReport } from './report.mjs';

const RESULTS_FILE = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

const settings = {
  latencyRuns: 30,
  warmups: 3,
  maxLatencyRatio: 1.1,
  throughputJobs: 500,
  window: 50,
  throughputTimeoutMs: 300_000,
  startTimeoutMs: 90_000,
  postgresAdminUrl: process.env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/test',
  natsUrl: process.env.BENCH_NATS_URL || 'nats://127.0.0.1:4222',
  logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
  workerConcurrency: process.env.BENCH_WORKER_CONCURRENCY || undefined,
  sessionSecret: randomBytes(32).toString('hex'),
  verbose: true,
};

const MODES = {
  embedded: { label: 'embedded (`conveyor start`: PGlite, SQL event log)', minRate: 50, start: startEmbedded },
  nats: { label: 'NATS + PostgreSQL (`conveyor api` + `conveyor worker`)', minRate: 150, start: startDistributed },
};

const benchStarted = performance.now();
const progress = (message) => console.error(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1)}s] ${message}`);

// Ctrl-C or a kill: stop the servers, drop the database, delete the streams, then exit.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second signal: the 'exit' hook SIGKILLs the children
    interrupted = true;
    progress(`${signal}: cleaning up (again to force)`);
    setTimeout(() => process.exit(130), 30_000).unref();
    closeAllScopes()
      .then(() => settings.logDir && rm(settings.logDir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}

async function runMode(key, fixtures) {
  const mode = { key, ...MODES[key], errors: [] };
  const scope = createScope(key);
  try {
    progress(`${key}: starting`);
    const deployment = await mode.start(scope, settings);
    await deployment.client.openSession();
    progress(`${key}: warming up`);
    await warmUp(deployment, fixtures);
    try {
      progress(`${key}: latency, ${settings.latencyRuns} photos`);
      mode.latency = await measureLatency(deployment, fixtures.photo, { runs: settings.latencyRuns });
    } catch (error) {
      mode.errors.push(`latency: ${error.message}`);
      deployment.assertAlive();
    }
    progress(`${key}: throughput, ${settings.throughputJobs} small images`);
    const accounting = startCpuAccounting(deployment.processes);
    mode.throughput = await measureThroughput(deployment, fixtures.png, {
      jobs: settings.throughputJobs,
      window: settings.window,
      timeoutMs: settings.throughputTimeoutMs,
    });
    mode.throughput.cpu = accounting.stop(Math.max(1, mode.throughput.completed));
  } catch (error) {
    mode.errors.push(error.message);
  } finally {
    progress(`${key}: stopping and cleaning up`);
    await scope.close();
  }
  return mode;
}

async function main() {
  if (!existsSync(CLI)) {
    console.error(`[bench] ${CLI} is missing: run \`npm run build\` first (\`npm run bench\` does).`);
    process.exitCode = 1;
    return;
  }
  const modeKeys = (process.env.BENCH_MODES || 'embedded,nats').split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = modeKeys.filter((key) => !MODES[key]);
  if (unknown.length) throw new Error(`unknown BENCH_MODES ${unknown.join(', ')} (known: ${Object.keys(MODES).join(', ')})`);

  const loadAtStart = os.loadavg()[0];
  settings.logDir = await mkdtemp(join(os.tmpdir(), 'conveyor-bench-logs-'));
  progress('generating fixtures');
  const fixtures = { photo: await makePhotoJpeg(), png: await makeSmallPng() };
  settings.photoBytes = fixtures.photo.length;

  progress('raw sharp');
  const raw = await measureRawSharp(fixtures.photo, { runs: settings.latencyRuns, warmups: settings.warmups });

  const modes = [];
  for (const key of modeKeys) {
    if (interrupted) break;
    modes.push(await runMode(key, fixtures));
  }
  if (interrupted) return;

  const cpus = os.cpus();
  const report = renderReport({
    settings,
    raw,
    modes,
    header: {
      date: new Date().toISOString(),
      node: process.version,
      CPUs: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
      memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      // Other work on the machine skews every figure; a busy box shows here.
      'load average (1 min)': `${loadAtStart.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end`,
      sharp: `${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
      'server settings': `LOG_LEVEL=${settings.logLevel}, WORKER_CONCURRENCY=${settings.workerConcurrency ?? '(server default)'}; one api and one worker process in the distributed mode`,
      'waiting for a job': 'long polls, GET /api/conversion-jobs/{org_id}/{id}?wait=5, until completed',
    },
  });
  process.stdout.write(report);
  await writeFile(RESULTS_FILE, report);
  progress(`written to ${RESULTS_FILE}`);

  if (modes.some((mode) => mode.errors.length)) {
    progress(`server logs kept in ${settings.logDir}`);
    process.exitCode = 1;
  } else {
    await rm(settings.logDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`[bench] ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await closeAllScopes();
}
