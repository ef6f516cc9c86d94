import 'reflect-metadata';
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
} from '@conveyor/core';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { firstPartyPlugins } from './first-party-plugins.js';
import { loadInspectionTools } from './inspection-tools.js';
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
  const inspectionTools = await loadInspectionTools(logger);
  const database = await openDatabase(config);
  const eventLog = await openEventLog(config, database);
  const blobs = await openBlobStore(config);

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

/** Closes what composeContainer opened, last opened first. */
export async function disposeContainer(container: DependencyContainer): Promise<void> {
  const logger = container.resolve(tokens.logger);
  const { scanner, metadataTool } = container.resolve(tokens.inspectionTools);
  for (const plugin of [...container.resolve(tokens.plugins), scanner, ...(metadataTool ? [metadataTool] : [])]) {
    await plugin.dispose?.().catch((error: unknown) => logger.warn({ err: error, plugin: plugin.id }, 'plugin did not shut down cleanly'));
  }
  await container.resolve(tokens.eventLog).close();
  await container.resolve(tokens.database).close();
  await container.resolve(tokens.telemetry).shutdown();
}
