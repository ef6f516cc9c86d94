import type { Format } from './formats.js';

/** A JSON Schema object describing a capability's options. */
export type JsonSchema = Record<string, unknown>;

export interface PluginPreset {
  id: string;
  label: string;
  params: Record<string, unknown>;
}

export interface PluginCapability {
  from: string;
  to: string;
  /** Relative cost used by the planner; defaults to 1. */
  cost?: number;
  lossy?: boolean;
  /**
   * How many files one conversion may take, all of format `from` (a PDF merge takes up to
   * 20): the first is `inputPath`, the rest `additionalInputPaths`. Defaults to 1.
   */
  maxInputs?: number;
  options?: JsonSchema;
  presets?: PluginPreset[];
}

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ConversionLimits {
  /** Largest decoded image or video frame, in pixels. */
  maxPixels: number;
  /** Wall-clock budget for one step, in milliseconds. */
  timeoutMs: number;
  /** Longest audio or video input, in seconds. */
  maxDurationSeconds: number;
  /** Most pages (or sheets, or slides) in a document input. */
  maxPages: number;
  /** Most bytes an input may expand to once decompressed (zip containers, PDF streams). */
  maxDecompressedBytes: number;
}

export interface ConvertContext {
  inputPath: string;
  /**
   * Further inputs, in order, for a conversion that takes several files (a PDF merge); all of
   * format `from`. Absent for a one-file conversion.
   */
  additionalInputPaths?: readonly string[];
  outputPath: string;
  from: string;
  to: string;
  options: Record<string, unknown>;
  signal: AbortSignal;
  /** Reports progress in percent; values are clamped to 0–100 and never go backwards. */
  progress(pct: number): void;
  log: PluginLogger;
  limits: ConversionLimits;
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export interface PluginDefinition {
  id: string;
  version: string;
  formats?: Format[];
  capabilities: PluginCapability[];
  probe?(): Promise<ProbeResult>;
  convert(ctx: ConvertContext): Promise<void>;
  /**
   * A small valid example file of `format`, made by the plugin (served by
   * `GET /api/formats/{fmt}/template`); undefined for a format it cannot make one of.
   */
  template?(format: string): Promise<Uint8Array | undefined>;
  /**
   * True when the plugin's outputs carry no metadata but orientation and colour profile, unless
   * the option `preserve_metadata` is true, which it then honours. Otherwise the host removes
   * the option before calling `convert` and strips each output with the metadata tool.
   */
  handlesMetadata?: boolean;
  /** Releases what the plugin keeps between conversions (a warm LibreOffice); called once: at shutdown, or at start-up when its probe fails. */
  dispose?(): Promise<void>;
}

/** Declares a plugin; the identity function exists so that plugin authors get type checking. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}

/** A conversion failure the plugin understood: `code` becomes the job's `error_code`. */
export class PluginError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PluginError';
  }
}
