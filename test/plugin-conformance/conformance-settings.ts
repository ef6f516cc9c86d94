import type { ConversionLimits, PluginDefinition } from '@conveyor/contracts';

/** An input the plugin must refuse, offered as a file of format `from`. */
export interface CorruptSample {
  from: string;
  bytes(): Promise<Uint8Array>;
}

/** A converted output, handed to `verifyOutput` for checks only the plugin's author can make. */
export interface ConvertedOutput {
  from: string;
  to: string;
  bytes: Uint8Array;
}

export interface PluginConformanceOptions {
  /**
   * A valid input per source format, by format id. Every capability's `from` needs one: a
   * capability without a sample fails the suite rather than going unchecked.
   */
  samples: Record<string, () => Promise<Uint8Array>>;
  /**
   * An input the plugin must refuse with a PluginError. Default: bytes with no known signature,
   * offered as the first capability's source format. Plugins whose formats accept any bytes
   * (text) must give one that is wrong for them.
   */
  corruptSample?: CorruptSample;
  /** Decodes an output to check it further (dimensions, content); the suite checks its signature. */
  verifyOutput?(output: ConvertedOutput): void | Promise<void>;
  /** How soon a conversion must reject once its signal is aborted. Default 1000 ms. */
  abortWithinMs?: number;
  /** Overrides of the limits the checks run under (`defaultLimits`). */
  limits?: Partial<ConversionLimits>;
}

export interface ConformanceSettings {
  samples: Record<string, () => Promise<Uint8Array>>;
  corruptSample: CorruptSample | undefined;
  verifyOutput: (output: ConvertedOutput) => void | Promise<void>;
  abortWithinMs: number;
  limits: ConversionLimits;
}

export const defaultLimits: ConversionLimits = {
  maxPixels: 100_000_000,
  timeoutMs: 60_000,
  maxDurationSeconds: 3_600,
  maxPages: 500,
  maxDecompressedBytes: 512 * 1024 * 1024,
};

/** Bytes that match no signature and no structure: no converter should read an image or a table in them. */
function garbage(from: string): Uint8Array {
  const noise = Array.from({ length: 512 }, (_, index) => (index * 131 + 7) % 256);
  return Buffer.concat([Buffer.from(`this is not a ${from} file\n`), Buffer.from([0, 0xff, 0xfe, ...noise])]);
}

export function conformanceSettings(plugin: PluginDefinition, options: PluginConformanceOptions): ConformanceSettings {
  const firstSource = plugin.capabilities[0]?.from;
  return {
    samples: options.samples,
    corruptSample: options.corruptSample ?? (firstSource === undefined ? undefined : { from: firstSource, bytes: async () => garbage(firstSource) }),
    verifyOutput: options.verifyOutput ?? (() => undefined),
    abortWithinMs: options.abortWithinMs ?? 1000,
    limits: { ...defaultLimits, ...options.limits },
  };
}

/** The sample for `format`; a missing one is the plugin's test setup at fault, and says so. */
export async function sampleFor(format: string, settings: ConformanceSettings): Promise<Uint8Array> {
  const makeSample = settings.samples[format];
  if (!makeSample) {
    throw new Error(`no sample input for "${format}": pass samples.${format} to runPluginConformance, so that every capability is exercised`);
  }
  return makeSample();
}
