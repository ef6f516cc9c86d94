import { CapabilityGraph, capabilityMatrixMarkdown, createLogger, loadPlugins, type ConveyorConfig } from '@conveyor/core';
import { firstPartyPlugins } from '../composition/first-party-plugins.js';

/**
 * Prints what this machine can convert: every plugin whose probe passes here, as a Markdown
 * table of direct pairs, then the plugins left out and why.
 */
export async function runFormats(config: ConveyorConfig): Promise<number> {
  const logger = createLogger('silent');
  const loaded = await loadPlugins([...firstPartyPlugins, ...config.plugins], {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
  });
  try {
    process.stdout.write(`${capabilityMatrixMarkdown(new CapabilityGraph(loaded.runnable))}\n`);
    for (const skipped of loaded.skipped) process.stdout.write(`\nleft out: ${skipped.id}: ${skipped.reason}\n`);
  } finally {
    for (const plugin of loaded.runnable) await plugin.dispose?.();
  }
  return 0;
}
