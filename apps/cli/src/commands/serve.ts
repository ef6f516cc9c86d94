import type { ConveyorConfig } from '@conveyor/core';
import { composeContainer, disposeContainer } from '../composition/container.js';
import { tokens } from '../composition/tokens.js';
import { tuneCollectorForStreaming } from './collector-tuning.js';
import { startConverters, startCoordinators, startIngress, type RunningRole } from '../roles.js';

export interface Roles {
  ingress: boolean;
  coordinators: boolean;
  converters: boolean;
}

/** Runs the chosen roles until SIGINT or SIGTERM, then stops them in an order that loses nothing. */
export async function runServe(config: ConveyorConfig, roles: Roles): Promise<number> {
  tuneCollectorForStreaming();
  const container = await composeContainer(config);
  const logger = container.resolve(tokens.logger);
  // Stopped in reverse: ingress first (no new work), then converters, then coordinators.
  const running: RunningRole[] = [];
  try {
    if (roles.coordinators) running.push(await startCoordinators(container));
    if (roles.converters) running.push(await startConverters(container));
    if (roles.ingress) {
      const ingress = await startIngress(container);
      running.push(ingress);
      const base = ingress.url.replace('://127.0.0.1', '://localhost');
      process.stdout.write(`Conveyor is running.\n  Web:    ${base}/\n  API:    ${base}/api\n  Docs:   ${base}/docs\n  Health: ${base}/api/health\n`);
    }
    // A process without the API serves its metrics on a port of its own, when given one.
    if (!roles.ingress && config.http.metricsPort !== undefined) {
      const port = await container.resolve(tokens.telemetry).listen(config.http.metricsPort, config.http.host);
      logger.info({ port }, 'metrics at /metrics');
    }
    const plugins = container.resolve(tokens.plugins).map((plugin) => plugin.id);
    logger.info({ roles, plugins, eventLog: config.eventLog.kind, database: config.database.kind }, 'started');
  } catch (error) {
    await stopAll(running);
    await disposeContainer(container);
    throw error;
  }

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping: finishing in-flight work');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await stopAll(running);
  await disposeContainer(container);
  logger.info('stopped');
  return 0;
}

async function stopAll(running: RunningRole[]): Promise<void> {
  for (const role of running.reverse()) await role.stop();
}
