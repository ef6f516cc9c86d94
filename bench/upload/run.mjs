#!/usr/bin/env node
// Conveyor upload benchmark. Run from the repository root after `npm run build` (`npm run bench`
// does both). Streams a 1 GiB body over loopback with `PUT /api/uploads/{file_id}/data`, to
// local disk and to S3 (s3rver), and measures throughput and the api process's peak RSS growth,
// each against a baseline measured in the same run. See bench/README.md.
//
// Optional environment:
//   BENCH_UPLOAD_MIB     size of each measured upload in MiB (default 1024)
//   BENCH_UPLOAD_RUNS    measured uploads per target (default 3)
//   BENCH_UPLOAD_MODES   local,s3 (default both)
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startEmbedded } from '../pipeline/deployments.mjs';
import { CLI, closeAllScopes, createScope } from '../pipeline/processes.mjs';
import { startChildServer } from './child-server.mjs';
import { waitUntilIdle, watchPeakResident } from './process-memory.mjs';
import { putBody } from './put-body.mjs';
import { renderUploadReport } from './report.mjs';
import { makeUploadBody } from './upload-body.mjs';

const MiB = 2 ** 20;
const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

const settings = {
  uploadBytes: Number(process.env.BENCH_UPLOAD_MIB || 1024) * MiB,
  runs: Number(process.env.BENCH_UPLOAD_RUNS || 3),
  warmupBytes: 64 * MiB,
  targets: { localMegabytesPerSecond: 300, rssGrowthMiB: 100 },
  startTimeoutMs: 90_000,
  logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
  sessionSecret: randomBytes(32).toString('hex'),
  bucket: 'conveyor-bench',
  // What core/src/blob-store/s3 uses, so that the direct upload is the same traffic to s3rver.
  s3: { partSize: 8 * MiB, queueSize: 4, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
};

const benchStarted = performance.now();
const progress = (message) => console.error(`[bench upload ${((performance.now() - benchStarted) / 1000).toFixed(1)}s] ${message}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    progress(`${signal}: cleaning up`);
    setTimeout(() => process.exit(130), 30_000).unref();
    closeAllScopes().finally(() => process.exit(130));
  });
}

/**
 * Warms each side up once, then times `settings.runs` rounds in which each side uploads once.
 * Baseline and Conveyor alternate (ABBA: the first side leads odd rounds, the other even ones), so
 * that a drift of the machine's speed during the run weighs on both alike.
 * Each side is `{ label, upload(body) → run, discard(run) }`; `discard` removes what the upload
 * stored, outside the timing, before the next upload starts.
 */
async function timeInterleaved(sides) {
  const runs = sides.map(() => []);
  const once = async (side, upload) => {
    const run = await side.upload(upload);
    await side.discard(run);
    return run;
  };
  for (const side of sides) {
    progress(`${side.label}: warming up`);
    await once(side, settings.warmupBytes === settings.uploadBytes ? body : warmupBody);
  }
  for (let round = 1; round <= settings.runs; round++) {
    const order = sides.map((_, index) => index);
    if (round % 2 === 0) order.reverse();
    for (const index of order) {
      progress(`${sides[index].label}: ${settings.uploadBytes / MiB} MiB, run ${round} of ${settings.runs}`);
      runs[index].push(await once(sides[index], body));
    }
  }
  return runs;
}

/**
 * `sync`: every dirty page written to disk. Called right before each timed upload, so that no
 * upload is slowed by the writeback of what came before it: every side starts each run from the
 * same clean page cache.
 */
function flushPageCache() {
  return new Promise((resolve, reject) => {
    execFile('sync', (error) => (error ? reject(error) : resolve()));
  });
}

/** The bare hash-and-write server, for the local-disk baseline. */
async function rawSinkSide(scope, logDir) {
  const folder = await mkdtemp(join(os.tmpdir(), 'conveyor-bench-raw-sink-'));
  scope.defer(() => rm(folder, { recursive: true, force: true }));
  const sink = await startChildServer(scope, { script: here('./raw-sink.mjs'), args: [folder], logFile: join(logDir, 'raw-sink.log') });
  return {
    label: 'local baseline (node:http → sha256 → file)',
    async upload(upload) {
      await flushPageCache();
      const { answer, seconds } = await putBody(`http://127.0.0.1:${sink.port}/`, upload);
      assertStored(answer, upload);
      return { seconds, file: join(folder, answer.name) };
    },
    discard: (run) => rm(run.file),
  };
}

/** The AWS SDK straight into s3rver, with Conveyor's part size and queue: the S3 baseline. */
function directS3Side(scope, endpoint) {
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: settings.s3.credentials });
  scope.defer(() => client.destroy());
  let uploaded = 0;
  return {
    label: 'S3 baseline (SDK → s3rver)',
    async upload(upload) {
      const key = `direct/${uploaded++}`;
      await flushPageCache();
      const started = performance.now();
      await new Upload({
        client,
        params: { Bucket: settings.bucket, Key: key, Body: upload.stream() },
        partSize: settings.s3.partSize,
        queueSize: settings.s3.queueSize,
      }).done();
      return { seconds: (performance.now() - started) / 1000, key };
    },
    discard: (run) => client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: run.key })),
  };
}

/**
 * `conveyor start` with `env`; every upload goes through init + PUT …/data while its RSS is
 * watched, and is deleted (DELETE /api/files/…, which removes its blob) once measured.
 */
async function conveyorSide(scope, label, env, logDir) {
  const deployment = await startEmbedded(scope, { ...settings, logDir }, { MAX_UPLOAD_BYTES: String(2 * settings.uploadBytes), ...env });
  const { client, server } = deployment;
  await client.openSession();
  const pid = server.child.pid;
  return {
    label,
    async upload(upload) {
      const init = await client.request('POST', '/api/uploads/init', {
        body: JSON.stringify({ name: 'bench.csv', size: upload.size, content_type: 'text/csv' }),
        headers: { 'content-type': 'application/json' },
        expect: [201],
      });
      const { upload_url: uploadUrl } = await init.json();
      // What the previous upload set off (scanning it, probing it) must not share this one's window.
      await waitUntilIdle(pid);
      await flushPageCache();
      const memory = await watchPeakResident(pid);
      let timed;
      try {
        timed = await putBody(client.baseUrl + uploadUrl, upload, { authorization: `Bearer ${client.token}` });
      } finally {
        timed ??= {};
        timed.memory = await memory.stop();
      }
      deployment.assertAlive();
      assertStored(timed.answer, upload);
      if (timed.answer.status !== 'ready') throw new Error(`the upload is ${timed.answer.status}, not ready`);
      return { seconds: timed.seconds, memory: timed.memory, file: timed.answer };
    },
    async discard(run) {
      await client.request('DELETE', `/api/files/${run.file.org_id}/${run.file.id}`, { expect: [200, 204] });
      // The blob goes once the deletion reaches the file's process manager, and the scan it set off ends.
      await waitUntilIdle(pid);
    },
  };
}

function assertStored(answer, upload) {
  if (answer.size !== upload.size || answer.sha256 !== upload.sha256) {
    throw new Error(`stored ${answer.size} bytes with sha256 ${answer.sha256}; sent ${upload.size} with ${upload.sha256}`);
  }
}

async function runLocal(logDir) {
  const scope = createScope('local');
  try {
    const [baseline, conveyor] = await timeInterleaved([await rawSinkSide(scope, logDir), await conveyorSide(scope, 'Conveyor → local disk', {}, logDir)]);
    return { key: 'local', label: 'local disk', baselineLabel: 'bare node:http server: sha256 + write to a file', baseline, conveyor };
  } finally {
    await scope.close();
  }
}

async function runS3(logDir) {
  const scope = createScope('s3');
  try {
    const folder = await mkdtemp(join(os.tmpdir(), 'conveyor-bench-s3rver-'));
    scope.defer(() => rm(folder, { recursive: true, force: true }));
    const s3rver = await startChildServer(scope, { script: here('./s3-server.mjs'), args: [folder], logFile: join(logDir, 's3rver.log') });
    const endpoint = `http://127.0.0.1:${s3rver.port}`;
    const conveyorEnv = {
      S3_BUCKET: settings.bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: settings.s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: settings.s3.credentials.secretAccessKey,
    };
    const [baseline, conveyor] = await timeInterleaved([directS3Side(scope, endpoint), await conveyorSide(scope, 'Conveyor → S3', conveyorEnv, logDir)]);
    return {
      key: 's3',
      label: 'S3 (s3rver on loopback)',
      baselineLabel: 'the AWS SDK uploading straight to s3rver (8 MiB parts, 4 at a time)',
      baseline,
      conveyor,
    };
  } finally {
    await scope.close();
  }
}

const runners = { local: runLocal, s3: runS3 };
let body;
let warmupBody;
let logDir;

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  const modeKeys = (process.env.BENCH_UPLOAD_MODES || 'local,s3').split(',').map((key) => key.trim()).filter(Boolean);
  const unknown = modeKeys.filter((key) => !runners[key]);
  if (unknown.length) throw new Error(`unknown BENCH_UPLOAD_MODES ${unknown.join(', ')} (known: local, s3)`);

  const loadAtStart = os.loadavg()[0];
  progress(`preparing a ${settings.uploadBytes / MiB} MiB body`);
  body = makeUploadBody(settings.uploadBytes);
  warmupBody = makeUploadBody(Math.min(settings.warmupBytes, settings.uploadBytes));
  logDir = await mkdtemp(join(os.tmpdir(), 'conveyor-bench-upload-logs-'));

  const modes = [];
  for (const key of modeKeys) modes.push(await runners[key](logDir));

  const cpus = os.cpus();
  const report = renderUploadReport({
    settings,
    modes,
    header: {
      date: new Date().toISOString(),
      node: process.version,
      CPUs: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
      memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      'load average (1 min)': `${loadAtStart.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end`,
      'temporary folder': os.tmpdir(),
    },
  });
  process.stdout.write(report);
  await writeFile(RESULTS_FILE, report);
  await rm(logDir, { recursive: true, force: true });
  progress(`written to ${RESULTS_FILE}`);
}

try {
  await main();
} catch (error) {
  console.error(`[bench upload] ${error.stack ?? error}`);
  if (logDir) console.error(`[bench upload] server logs kept in ${logDir}`);
  process.exitCode = 1;
} finally {
  await closeAllScopes();
}
