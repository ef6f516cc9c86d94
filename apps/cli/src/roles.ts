import { buildApiServer } from '@conveyor/api';
import {
  ApiKeyUsage,
  ExpiredFileSweeper,
  buildPlanCatalog,
  CommandSender,
  defaultPlanDirectory,
  FixedWindowLimiter,
  MemoryRateLimitWindows,
  sqlPlanUsage,
  ConversionProcessManager,
  FileProcessManager,
  ReadModelProjector,
  SessionTokens,
  startDeciderConsumer,
  startProcessManagerConsumer,
  type ConsumerHandle,
} from '@conveyor/core';
import {
  ConversionStepRunner,
  metadataStripper,
  MetadataRunner,
  ScanRunner,
  startConverterConsumers,
  startMetadataConsumer,
  startScanConsumer,
  stepDurations,
} from '@conveyor/worker';
import { sql } from 'kysely';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { conversionLimits } from './composition/conversion-limits.js';
import { loadSessionSecret } from './composition/session-secret.js';
import { tokens } from './composition/tokens.js';

export interface RunningRole {
  /** Stops taking new work and lets in-flight work finish (or leaves it to be redelivered). */
  stop(): Promise<void>;
}

/** How often anonymous sessions' expired files are looked for. */
const expiredFileSweepIntervalMs = 60_000;

/** Commands and events are small and quick: many in flight, generous retries. */
const coordinatorSettings = { ackWaitMs: 30_000, maxDeliver: 10, concurrency: 32 };

/** The HTTP ingress, listening. */
export async function startIngress(container: DependencyContainer): Promise<RunningRole & { url: string }> {
  const config = container.resolve(tokens.config);
  const database = container.resolve(tokens.database);
  const eventLog = container.resolve(tokens.eventLog);
  const blobs = container.resolve(tokens.blobs);
  const { metadataTool, metadataGuide } = container.resolve(tokens.inspectionTools);
  // Counted in the database, so that every api process of a deployment holds to the same limits.
  // PGlite belongs to this one process, whose api is then the deployment's only one: its
  // counts can stay in memory, sparing the single-threaded database a write per request.
  const planUsage = sqlPlanUsage(database.db);
  const rateLimitWindows = database.kind === 'pglite' ? new MemoryRateLimitWindows() : planUsage.rateLimitWindows;
  const server = await buildApiServer({
    config,
    commands: new CommandSender(eventLog),
    blobs,
    readModels: container.resolve(tokens.readModels),
    capabilities: container.resolve(tokens.capabilities),
    maxHops: config.maxPlanHops,
    sessions: new SessionTokens(await loadSessionSecret(config)),
    apiKeyUsage: new ApiKeyUsage(database.db),
    ids: container.resolve(tokens.ids),
    clock: container.resolve(tokens.clock),
    logger: container.resolve(tokens.logger),
    metadata: metadataTool && { writableFormats: metadataTool.writableFormats, guide: metadataGuide },
    plans: {
      catalog: buildPlanCatalog({ overrides: config.plans.overrides, maxUploadBytes: config.limits.maxUploadBytes }),
      directory: defaultPlanDirectory(config.plans.defaultPlan),
      usage: planUsage,
    },
    rateLimiter: new FixedWindowLimiter(rateLimitWindows, container.resolve(tokens.clock)),
    telemetry: container.resolve(tokens.telemetry),
    health: async () => {
      const checks: Record<string, string> = {};
      const probe = async (name: string, check: () => Promise<unknown>) => {
        checks[name] = await check().then(
          () => 'ok',
          (error: Error) => error.message || 'unavailable',
        );
      };
      await Promise.all([
        probe('database', () => sql`select 1`.execute(database.db)),
        probe('event_log', () => eventLog.ping()),
        probe('blob_store', () => blobs.ping()),
      ]);
      return { ok: Object.values(checks).every((value) => value === 'ok'), checks };
    },
  });
  const url = await server.listen({ port: config.http.port, host: config.http.host });
  return { url, stop: () => server.close() };
}

/** Deciders, the process manager and the read-model projector. */
export async function startCoordinators(container: DependencyContainer): Promise<RunningRole> {
  const config = container.resolve(tokens.config);
  const eventLog = container.resolve(tokens.eventLog);
  const logger = container.resolve(tokens.logger);
  const commandHandler = container.resolve(tokens.commandHandler);
  const graph = container.resolve(tokens.capabilities);
  const projector = new ReadModelProjector(
    container.resolve(tokens.database).db,
    eventLog,
    logger.child({ consumer: 'projector' }),
    container.resolve(tokens.projectionNotifier),
  );
  const processManager = new ConversionProcessManager(eventLog, commandHandler, () => graph, container.resolve(tokens.blobs), container.resolve(tokens.clock), {
    maxHops: config.maxPlanHops,
  });
  const { metadataTool } = container.resolve(tokens.inspectionTools);
  const fileProcessManager = new FileProcessManager(
    eventLog,
    commandHandler,
    container.resolve(tokens.blobs),
    { readsMetadataOf: (format) => metadataTool?.readableFormats.includes(format) ?? false },
    container.resolve(tokens.clock),
  );
  projector.start();
  // Every coordinator sweeps; the commands' ids come from the files', so a file is expired once.
  const sweeper = new ExpiredFileSweeper({
    db: container.resolve(tokens.database).db,
    commands: new CommandSender(eventLog),
    clock: container.resolve(tokens.clock),
    logger: logger.child({ component: 'expired-file-sweeper' }),
  });
  sweeper.start(expiredFileSweepIntervalMs);
  const consumers: ConsumerHandle[] = [
    await startDeciderConsumer(eventLog, commandHandler, logger.child({ consumer: 'deciders' }), coordinatorSettings),
    await startProcessManagerConsumer(eventLog, commandHandler, [processManager, fileProcessManager], logger.child({ consumer: 'process-manager' }), coordinatorSettings),
  ];
  return {
    stop: async () => {
      await sweeper.stop();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await projector.stop();
    },
  };
}

/** Task consumers for every plugin this process can run. */
export async function startConverters(container: DependencyContainer): Promise<RunningRole> {
  const config = container.resolve(tokens.config);
  const plugins = container.resolve(tokens.plugins);
  const graph = container.resolve(tokens.capabilities);
  const logger = container.resolve(tokens.logger).child({ consumer: 'converters' });
  const { metadataTool } = container.resolve(tokens.inspectionTools);
  const workDir = join(config.dataDir, 'work');
  await mkdir(workDir, { recursive: true });
  const runner = new ConversionStepRunner(
    container.resolve(tokens.commandHandler),
    container.resolve(tokens.blobs),
    new Map(plugins.map((plugin) => [plugin.id, plugin])),
    (format) => graph.formats.get(format)?.mime ?? 'application/octet-stream',
    {
      workDir,
      limits: conversionLimits(config),
      ackWaitMs: config.tasks.ackWaitMs,
      stripMetadata: metadataTool && metadataStripper(metadataTool),
      recordStep: stepDurations(container.resolve(tokens.telemetry).meter),
    },
    logger,
  );
  const eventLog = container.resolve(tokens.eventLog);
  const consumers = await startConverterConsumers(eventLog, plugins, runner, logger, config.tasks);
  consumers.push(...(await startInspectors(container, workDir)));
  return { stop: async () => void (await Promise.all(consumers.map((consumer) => consumer.stop()))) };
}

/** The scanner's and the metadata tool's task consumers, beside the converters. */
async function startInspectors(container: DependencyContainer, workDir: string): Promise<ConsumerHandle[]> {
  const config = container.resolve(tokens.config);
  const eventLog = container.resolve(tokens.eventLog);
  const commandHandler = container.resolve(tokens.commandHandler);
  const blobs = container.resolve(tokens.blobs);
  const logger = container.resolve(tokens.logger);
  const { scanner, metadataTool } = container.resolve(tokens.inspectionTools);
  const limits = conversionLimits(config);
  const scanRunner = new ScanRunner(
    commandHandler,
    blobs,
    scanner,
    { workDir, limits, ackWaitMs: config.tasks.ackWaitMs, maxUploadBytes: config.limits.maxUploadBytes, maxExpansionRatio: config.limits.maxExpansionRatio },
    logger.child({ consumer: 'scanner' }),
  );
  const consumers = [await startScanConsumer(eventLog, scanRunner, logger.child({ consumer: 'scanner' }), config.tasks)];
  if (metadataTool) {
    const metadataRunner = new MetadataRunner(commandHandler, blobs, metadataTool, { workDir, timeoutMs: limits.timeoutMs, ackWaitMs: config.tasks.ackWaitMs }, logger.child({ consumer: 'metadata' }));
    consumers.push(await startMetadataConsumer(eventLog, metadataRunner, logger.child({ consumer: 'metadata' }), config.tasks));
  }
  return consumers;
}
