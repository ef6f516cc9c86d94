import { PluginError, type MetadataToolDefinition, type PluginLogger } from '@conveyor/contracts';
import { rename, rm } from 'node:fs/promises';

/** Removes what a file carries but orientation and colour profile, in place. */
export type MetadataStripper = (path: string, format: string, signal: AbortSignal, log: PluginLogger) => Promise<void>;

/**
 * Conversions drop metadata unless the caller asks to keep it. For plugins that do not drop it
 * themselves, the metadata tool strips each output it can rewrite (`strip_all`, which keeps
 * orientation and colour profile); a format it cannot rewrite passes as the converter wrote it.
 */
export function metadataStripper(tool: MetadataToolDefinition): MetadataStripper {
  return async (path, format, signal, log) => {
    if (!tool.writableFormats.includes(format)) return;
    const stripped = `${path}.stripped`;
    try {
      await tool.write({ inputPath: path, outputPath: stripped, format, signal, log, edit: { anonymize: false, strip_all: true, set: {}, remove: {} } });
      await rename(stripped, path);
    } catch (error) {
      await rm(stripped, { force: true });
      // Failing closed: an output that still carries what the caller did not ask to keep is not delivered.
      if (error instanceof PluginError) throw new PluginError('metadata_strip_failed', `could not remove the output's metadata: ${error.message}`);
      throw error;
    }
  };
}
