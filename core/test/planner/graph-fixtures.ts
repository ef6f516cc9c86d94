import { definePlugin, type Format, type PluginCapability } from '@conveyor/contracts';

/** A plugin definition with just what the graph reads; converting is never called. */
export const plugin = (id: string, capabilities: PluginCapability[], formats?: Format[]) =>
  definePlugin({ id, version: '1.0.0', capabilities, ...(formats ? { formats } : {}), convert: async () => undefined });
