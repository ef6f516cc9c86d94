import { buildApiServer } from '@conveyor/api';
import {
  CommandSender,
  ConversionProcessManager,
  ReadModelProjector,
  SessionTokens,
  startDeciderConsumer,
  startProcessManagerConsumer,
  type ConsumerHandle,
} from '@conveyor/core';
import { ConversionStepRunner, startConverterConsumers } from '@conveyor/worker';
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

/** Commands and events are small and quick: many in flight, generous retries. */
const coordinatorSettings = { ackWaitMs: 30_000, maxDeliver: 10, concurrency: 32 };

/** The HTTP ingress, listening. */
export async function startIngress(container: DependencyContainer): Promise<RunningRole & { url: string }> {
  const config = container.resolve(tokens.config);
  const database = container.resolve(tokens.database);
  const eventLog = container.resolve(tokens.eventLog);
  const blobs = container.resolve(tokens.blobs);
  const server = await buildApiServer({
    config,
    commands: new CommandSender(eventLog),
    blobs,
    readModels: container.resolve(tokens.readModels),
    capabilities: container.resolve(tokens.capabilities),
    maxHops: config.maxPlanHops,
    sessions: new SessionTokens(await loadSessionSecret(config)),
    ids: container.resolve(tokens.ids),
    clock: container.resolve(tokens.clock),
    logger: container.resolve(tokens.logger),
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
  projector.start();
  const consumers: ConsumerHandle[] = [
    await startDeciderConsumer(eventLog, commandHandler, logger.child({ consumer: 'deciders' }), coordinatorSettings),
    await startProcessManagerConsumer(eventLog, processManager, logger.child({ consumer: 'process-manager' }), coordinatorSettings),
  ];
  return {
    stop: async () => {
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
  const workDir = join(config.dataDir, 'work');
  await mkdir(workDir, { recursive: true });
  const runner = new ConversionStepRunner(
    container.resolve(tokens.commandHandler),
    container.resolve(tokens.blobs),
    new Map(plugins.map((plugin) => [plugin.id, plugin])),
    (format) => graph.formats.get(format)?.mime ?? 'application/octet-stream',
    { workDir, limits: conversionLimits(config), ackWaitMs: config.tasks.ackWaitMs },
    logger,
  );
  const consumers = await startConverterConsumers(container.resolve(tokens.eventLog), plugins, runner, logger, config.tasks);
  return { stop: async () => void (await Promise.all(consumers.map((consumer) => consumer.stop()))) };
}
