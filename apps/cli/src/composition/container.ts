import 'reflect-metadata';
import type { PluginDefinition } from '@conveyor/contracts';
import {
  CapabilityGraph,
  CommandHandler,
  createLogger,
  loadPlugins,
  ProjectionNotifier,
  randomIds,
  ReadModelQueries,
  systemClock,
  Telemetry,
  type ConveyorConfig,
  type Logger,
} from '@conveyor/core';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { firstPartyPlugins } from './first-party-plugins.js';
import { loadInspectionTools, type InspectionTools } from './inspection-tools.js';
import { openBlobStore, openDatabase, openEventLog } from './infrastructure.js';
import { tokens } from './tokens.js';

/**
 * The composition root: opens the infrastructure the configuration selects and registers it,
 * with the pieces built on it, in a child container for this process.
 */
export async function composeContainer(config: ConveyorConfig): Promise<DependencyContainer> {
  const container = rootContainer.createChildContainer();
  const logger = createLogger(config.logLevel);
  // Plugins first: one that fails to load stops start-up at once, before any database or log is opened.
  const loaded = await loadPlugins([...firstPartyPlugins, ...config.plugins], {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
  });
  const { inspectionTools, database, eventLog, blobs } = await openInfrastructure(config, logger, loaded.runnable);

  container.registerInstance(tokens.config, config);
  container.registerInstance(tokens.logger, logger);
  container.registerInstance(tokens.database, database);
  container.registerInstance(tokens.eventLog, eventLog);
  container.registerInstance(tokens.blobs, blobs);
  container.registerInstance(tokens.clock, systemClock);
  container.registerInstance(tokens.ids, randomIds);
  container.registerInstance(tokens.plugins, loaded.runnable);
  container.registerInstance(tokens.inspectionTools, inspectionTools);
  container.registerInstance(tokens.capabilities, new CapabilityGraph(loaded.runnable));
  container.registerInstance(tokens.commandHandler, new CommandHandler(eventLog, systemClock));
  const projectionNotifier = new ProjectionNotifier();
  container.registerInstance(tokens.projectionNotifier, projectionNotifier);
  container.registerInstance(tokens.readModels, new ReadModelQueries(database.db, projectionNotifier));
  container.registerInstance(tokens.telemetry, new Telemetry());
  return container;
}

/**
 * Opens what the process needs beside its plugins. If a step fails, what the earlier ones opened
 * is closed again, the plugins too, before the error goes on: a failed start must exit, and a
 * plugin's helper (a LibreOffice listener) or a NATS connection left open would keep it alive.
 */
async function openInfrastructure(config: ConveyorConfig, logger: Logger, plugins: readonly PluginDefinition[]) {
  const opened: Array<() => Promise<void>> = [() => disposePlugins(plugins, logger)];
  try {
    const inspectionTools = await loadInspectionTools(logger);
    opened.push(() => disposePlugins(inspectionToolList(inspectionTools), logger));
    const database = await openDatabase(config);
    opened.push(() => database.close());
    const eventLog = await openEventLog(config, database);
    opened.push(() => eventLog.close());
    const blobs = await openBlobStore(config);
    return { inspectionTools, database, eventLog, blobs };
  } catch (error) {
    for (const close of opened.reverse()) {
      await close().catch((closeError: unknown) => logger.warn({ err: closeError }, 'could not close after a failed start'));
    }
    throw error;
  }
}

/** Closes what composeContainer opened, last opened first. */
export async function disposeContainer(container: DependencyContainer): Promise<void> {
  const logger = container.resolve(tokens.logger);
  await disposePlugins([...container.resolve(tokens.plugins), ...inspectionToolList(container.resolve(tokens.inspectionTools))], logger);
  await container.resolve(tokens.eventLog).close();
  await container.resolve(tokens.database).close();
  await container.resolve(tokens.telemetry).shutdown();
}

/** A plugin, scanner or metadata tool: what disposing one needs. */
type DisposablePlugin = Pick<PluginDefinition, 'id' | 'dispose'>;

function inspectionToolList({ scanner, metadataTool }: InspectionTools): DisposablePlugin[] {
  return [scanner, ...(metadataTool ? [metadataTool] : [])];
}

async function disposePlugins(plugins: readonly DisposablePlugin[], logger: Logger): Promise<void> {
  for (const plugin of plugins) {
    await plugin.dispose?.().catch((error: unknown) => logger.warn({ err: error, plugin: plugin.id }, 'plugin did not shut down cleanly'));
  }
}
