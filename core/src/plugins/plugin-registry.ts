import type { PluginDefinition } from '@conveyor/contracts';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PluginLoadLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface LoadedPlugins {
  runnable: PluginDefinition[];
  skipped: Array<{ id: string; reason: string }>;
}

function isPluginDefinition(value: unknown): value is PluginDefinition {
  const candidate = value as Partial<PluginDefinition> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.id === 'string' &&
    typeof candidate.version === 'string' &&
    Array.isArray(candidate.capabilities) &&
    typeof candidate.convert === 'function'
  );
}

/** Imports a plugin module by package name or absolute file path; fails naming the specifier. */
export async function importPlugin(specifier: string): Promise<PluginDefinition> {
  const target = isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier;
  let module: { default?: unknown };
  try {
    module = (await import(target)) as { default?: unknown };
  } catch (error) {
    throw new Error(`plugin ${specifier} failed to load: ${(error as Error).message}`, { cause: error });
  }
  const definition = module.default;
  if (!isPluginDefinition(definition)) throw new Error(`plugin ${specifier} does not export a plugin definition as default`);
  return definition;
}

/**
 * Loads every plugin and keeps those whose probe says they can run here; the others are
 * left out of the capability graph, with their reason logged, and disposed at once.
 */
export async function loadPlugins(specifiers: readonly string[], log: PluginLoadLogger): Promise<LoadedPlugins> {
  const definitions = await Promise.all(specifiers.map(importPlugin));
  // Probes run a binary each (ffmpeg, LibreOffice): all at once, so start-up waits for the slowest only.
  const probes = await Promise.all(
    definitions.map((plugin) => (plugin.probe ? plugin.probe().catch((error: Error) => ({ ok: false as const, reason: error.message })) : { ok: true as const })),
  );
  const loaded: LoadedPlugins = { runnable: [], skipped: [] };
  for (const [index, plugin] of definitions.entries()) {
    const probe = probes[index]!;
    if (probe.ok) {
      loaded.runnable.push(plugin);
      log.info({ plugin: plugin.id, version: plugin.version }, 'plugin ready');
    } else {
      loaded.skipped.push({ id: plugin.id, reason: probe.reason });
      log.warn({ plugin: plugin.id, reason: probe.reason }, 'plugin left out: probe failed');
      // A probe may fail after starting a helper (LibreOffice that starts but cannot convert):
      // nothing would ever stop it, and it would keep the process from exiting.
      await plugin.dispose?.().catch((error: Error) => log.warn({ plugin: plugin.id, reason: error.message }, 'plugin left out did not shut down cleanly'));
    }
  }
  return loaded;
}
