// The two ways the benchmark runs Conveyor: embedded (`conveyor start`: one process, PGlite,
// SQL event log) and distributed (`conveyor api` + `conveyor worker`: NATS JetStream, PostgreSQL).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConveyorClient } from './http-client.mjs';
import { createDatabase, deleteNamespaceStreams } from './infrastructure.mjs';
import { baseEnvironment, freePort, runCli, startCli, waitUntilHealthy } from './processes.mjs';

/** Settings every server process of a run gets. */
function serverEnvironment(settings, extra) {
  return baseEnvironment({
    HOST: '127.0.0.1',
    LOG_LEVEL: settings.logLevel,
    SESSION_SECRET: settings.sessionSecret,
    // The bench measures the pipeline, not a plan: no request or concurrent-job limit may refuse it.
    DEFAULT_PLAN: 'enterprise',
    PLAN_LIMITS: JSON.stringify({ enterprise: { requests_per_minute: 10_000_000, concurrent_jobs: 1_000_000 } }),
    ...(settings.workerConcurrency ? { WORKER_CONCURRENCY: String(settings.workerConcurrency) } : {}),
    ...extra,
  });
}

function assertAllRunning(services) {
  return () => {
    for (const service of services) {
      if (!service.running) throw new Error(`${service.name} ended (${service.ending}) during the run\n${service.logTail()}`);
    }
  };
}

/**
 * `conveyor start` with a fresh DATA_DIR, and `extraEnv` on top of the bench's settings.
 * Everything it creates is removed when `scope` closes.
 * @returns {Promise<{client: ConveyorClient, assertAlive: () => void, server: ReturnType<typeof startCli>, processes: {label: string, pid: number}[]}>}
 */
export async function startEmbedded(scope, settings, extraEnv = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'conveyor-bench-embedded-'));
  scope.defer(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const server = startCli({
    name: 'conveyor start',
    args: ['start'],
    env: serverEnvironment(settings, { PORT: String(port), DATA_DIR: dataDir, ...extraEnv }),
    logFile: join(settings.logDir, 'embedded-start.log'),
  });
  scope.defer(() => server.stop());
  const client = new ConveyorClient(`http://127.0.0.1:${port}`);
  await waitUntilHealthy(server, client, settings.startTimeoutMs);
  return { client, assertAlive: assertAllRunning([server]), server, processes: [{ label: 'conveyor start', pid: server.child.pid }] };
}

/**
 * A fresh PostgreSQL database and NATS namespace, `conveyor migrate`, then one `conveyor api`
 * and one `conveyor worker` sharing a BLOB_DIR. Dropped and deleted when `scope` closes.
 */
export async function startDistributed(scope, settings) {
  const suffix = randomBytes(4).toString('hex');
  const namespace = `bench_${suffix}`;
  const database = await createDatabase(settings.postgresAdminUrl, suffix);
  scope.defer(() => database.drop());
  // Registered before the processes start, so it runs after they have stopped.
  scope.defer(async () => {
    const deleted = await deleteNamespaceStreams(settings.natsUrl, namespace);
    if (settings.verbose) console.error(`[bench] deleted streams ${deleted.join(', ') || '(none)'}`);
  });
  const root = await mkdtemp(join(tmpdir(), 'conveyor-bench-distributed-'));
  scope.defer(() => rm(root, { recursive: true, force: true }));
  const blobDir = join(root, 'blobs');
  await mkdir(blobDir);

  const shared = {
    NATS_URL: settings.natsUrl,
    DATABASE_URL: database.url,
    CONVEYOR_NAMESPACE: namespace,
    BLOB_DIR: blobDir,
  };
  await runCli({
    name: 'conveyor migrate',
    args: ['migrate'],
    env: serverEnvironment(settings, { ...shared, DATA_DIR: join(root, 'migrate') }),
    logFile: join(settings.logDir, 'distributed-migrate.log'),
    timeoutMs: settings.startTimeoutMs,
  });

  const port = await freePort();
  const api = startCli({
    name: 'conveyor api',
    args: ['api'],
    env: serverEnvironment(settings, { ...shared, PORT: String(port), DATA_DIR: join(root, 'api') }),
    logFile: join(settings.logDir, 'distributed-api.log'),
  });
  scope.defer(() => api.stop());
  const client = new ConveyorClient(`http://127.0.0.1:${port}`);
  await waitUntilHealthy(api, client, settings.startTimeoutMs);

  // Started after the api so that the api's idempotent stream setup runs first.
  const worker = startCli({
    name: 'conveyor worker',
    args: ['worker'],
    env: serverEnvironment(settings, { ...shared, DATA_DIR: join(root, 'worker') }),
    logFile: join(settings.logDir, 'distributed-worker.log'),
  });
  scope.defer(() => worker.stop());
  return {
    client,
    assertAlive: assertAllRunning([api, worker]),
    database: database.name,
    namespace,
    processes: [
      { label: 'conveyor api', pid: api.child.pid },
      { label: 'conveyor worker', pid: worker.child.pid },
    ],
  };
}
