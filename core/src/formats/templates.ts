import type { PluginDefinition } from '@conveyor/contracts';
import type { CapabilityGraph } from '../planner/capability-graph.js';

/**
 * A small valid example file of `format`, from the first plugin that makes one. Plugins that
 * declare the format ask first: the format is theirs, so their example is the canonical one.
 */
export async function makeFormatTemplate(graph: CapabilityGraph, format: string): Promise<Uint8Array | undefined> {
  const declares = (plugin: PluginDefinition) => (plugin.formats ?? []).some((declared) => declared.id === format);
  const makers = graph.plugins.filter((plugin) => plugin.template !== undefined);
  for (const plugin of [...makers.filter(declares), ...makers.filter((plugin) => !declares(plugin))]) {
    const bytes = await plugin.template!(format);
    if (bytes !== undefined && bytes.length > 0) return bytes;
  }
  return undefined;
}
