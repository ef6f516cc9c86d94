import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type CommandEnvelope } from '@conveyor/contracts';
import {
  ApiKeyUsage,
  CapabilityGraph,
  CommandHandler,
  CommandSender,
  FixedWindowLimiter,
  ProjectionNotifier,
  ReadModelProjector,
  ReadModelQueries,
  SessionTokens,
  buildPlanCatalog,
  defaultPlanDirectory,
  loadConfig,
  randomIds,
  randomSecret,
  sqlPlanUsage,
  startDeciderConsumer,
  systemClock,
  Telemetry,
  type ConsumerHandle,
} from '@conveyor/core';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { pino } from 'pino';
import { LocalDiskBlobStore } from '../../../../core/src/blob-store/local-disk-blob-store.js';
import { createDatabase, type DatabaseHandle } from '../../../../core/src/database/connect.js';
import { migrateToLatest } from '../../../../core/src/database/migrate.js';
import { SqlEventLog } from '../../../../core/src/event-log/sql/sql-event-log.js';
import { buildApiServer, type ApiDependencies, type HealthReport } from '../../src/index.js';

/** A one-edge capability graph (png → webp), so that the tests need no real converter. */
export const testPlugin = definePlugin({
  id: 'test-image',
  version: '1.0.0',
  capabilities: [{ from: 'png', to: 'webp', presets: [{ id: 'web', label: 'Web', params: { quality: 82 } }] }],
  convert: async () => {},
});

export interface HarnessOptions {
  /** Run the decider consumer and the projector, so that commands become read-model rows. Default true. */
  pipeline?: boolean;
  maxUploadBytes?: number;
  health?: () => Promise<HealthReport>;
  /** The graph the API plans and describes with. Default: `testPlugin`'s one edge. */
  capabilities?: CapabilityGraph;
  /** What the metadata tool rewrites, and its guide. Default: no metadata tool. */
  metadata?: ApiDependencies['metadata'];
  /** More environment for loadConfig: DEFAULT_PLAN, PLAN_LIMITS, GATEWAY_KEY, ANON_TTL_SECONDS… */
  env?: Record<string, string>;
}

export interface ApiHarness {
  app: FastifyInstance;
  deps: ApiDependencies;
  /** Every route the server registered, in order. */
  routes: RouteOptions[];
  log: SqlEventLog;
  blobDir: string;
  /** A fresh anonymous session: its token and the org it stands for. */
  session(): Promise<{ token: string; orgId: string; authorization: string }>;
  commands(): Promise<CommandEnvelope[]>;
  /** Every file under the blob directory (relative paths). */
  storedBlobs(): Promise<string[]>;
  close(): Promise<void>;
}

/** The API over real core pieces: PGlite read models, the SQL event log, the local-disk blob store. */
export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'conveyor-api-test-'));
  const blobDir = join(dataDir, 'blobs');
  const database: DatabaseHandle = await createDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  const log = new SqlEventLog(database.db, { pollIntervalMs: 10 });
  await log.initialize();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = loadConfig({ DATA_DIR: dataDir, BLOB_DIR: blobDir, MAX_UPLOAD_BYTES: String(options.maxUploadBytes ?? 64 * 1024), ...options.env });

  // As in the api process: the projector tells waiting readers when it has written a row.
  const notifier = new ProjectionNotifier();
  const deps: ApiDependencies = {
    config,
    commands: new CommandSender(log),
    blobs: new LocalDiskBlobStore(blobDir),
    readModels: new ReadModelQueries(database.db, notifier),
    capabilities: options.capabilities ?? new CapabilityGraph([testPlugin]),
    maxHops: 3,
    sessions: new SessionTokens(randomSecret()),
    apiKeyUsage: new ApiKeyUsage(database.db),
    ids: randomIds,
    clock: systemClock,
    metadata: options.metadata,
    plans: {
      catalog: buildPlanCatalog({ overrides: config.plans.overrides, maxUploadBytes: config.limits.maxUploadBytes }),
      directory: defaultPlanDirectory(config.plans.defaultPlan),
      usage: sqlPlanUsage(database.db),
    },
    rateLimiter: new FixedWindowLimiter(sqlPlanUsage(database.db).rateLimitWindows, systemClock),
    health: options.health ?? (async () => ({ ok: true, checks: { database: 'ok', event_log: 'ok', blobs: 'ok' } })),
    telemetry: new Telemetry(),
    logger,
  };

  const running: Array<{ stop(): Promise<void> }> = [];
  if (options.pipeline ?? true) {
    const consumer: ConsumerHandle = await startDeciderConsumer(log, new CommandHandler(log, systemClock), logger, {
      ackWaitMs: 5_000,
      maxDeliver: 3,
      concurrency: 1,
    });
    const projector = new ReadModelProjector(database.db, log, logger, notifier);
    projector.start();
    running.push(consumer, projector);
  }

  const routes: RouteOptions[] = [];
  const app = await buildApiServer(deps, { onRoute: (route) => routes.push(route) });
  await app.ready();

  return {
    app,
    deps,
    routes,
    log,
    blobDir,
    async session() {
      const response = await app.inject({ method: 'POST', url: '/api/anon/session' });
      const { token } = response.json<{ token: string }>();
      return { token, orgId: deps.sessions.verify(token)!, authorization: `Bearer ${token}` };
    },
    async commands() {
      const messages = await log.readStream('commands', 0, 100);
      return messages.map((message) => message.payload as CommandEnvelope);
    },
    async storedBlobs() {
      const entries = await readdir(blobDir, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(blobDir.length + 1));
    },
    async close() {
      await app.close();
      for (const piece of running) await piece.stop();
      await log.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
