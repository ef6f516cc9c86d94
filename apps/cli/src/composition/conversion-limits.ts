import type { ConversionLimits } from '@conveyor/contracts';
import type { ConveyorConfig } from '@conveyor/core';

/** The limits every plugin is held to, from the configuration. */
export function conversionLimits(config: ConveyorConfig): ConversionLimits {
  return {
    maxPixels: config.limits.maxImagePixels,
    timeoutMs: config.limits.conversionTimeoutMs,
    maxDurationSeconds: config.limits.maxMediaDurationSeconds,
    maxPages: config.limits.maxDocumentPages,
    maxDecompressedBytes: config.limits.maxDecompressedBytes,
  };
}
