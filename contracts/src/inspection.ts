import { z } from 'zod';
import type { ConversionLimits, PluginLogger, ProbeResult } from './plugin.js';

/** What a scan concluded: `rejected` is a file Conveyor refuses to handle (a polyglot, a bomb), `infected` malware. */
export const scanVerdicts = ['clean', 'infected', 'rejected'] as const;
export type ScanVerdictKind = (typeof scanVerdicts)[number];

export const scanVerdictSchema = z.object({
  verdict: z.enum(scanVerdicts),
  /** Which engine decided (`builtin`, `clamav`); for a clean file, every engine that looked, joined by `+`. */
  engine: z.string(),
  /** Why, for a file that is not clean (`EICAR test signature`, `archive expands 1500× (limit 100×)`); empty when clean. */
  reason: z.string(),
});
export type ScanVerdict = z.infer<typeof scanVerdictSchema>;

export interface ScanContext {
  /**
   * The file to scan, to read only: where blobs are local files it is the stored blob itself,
   * and its name need not end in the format's extension (`format` says what it is).
   */
  inputPath: string;
  /** The format the ingress detected (from content, refined by the name). */
  format: string;
  /** The name the file was uploaded under. */
  fileName: string;
  size: number;
  signal: AbortSignal;
  log: PluginLogger;
  limits: ConversionLimits & {
    /** Largest accepted upload, in bytes. */
    maxBytes: number;
    /** Most a zip-based file may expand: uncompressed ÷ compressed size. */
    maxExpansionRatio: number;
  };
}

/** Looks at an uploaded file before any converter touches it. */
export interface ScannerDefinition {
  id: string;
  version: string;
  probe?(): Promise<ProbeResult>;
  scan(ctx: ScanContext): Promise<ScanVerdict>;
  dispose?(): Promise<void>;
}

/** Declares a scanner; the identity function exists for type checking. */
export function defineScanner(definition: ScannerDefinition): ScannerDefinition {
  return definition;
}

/**
 * The normalised fields every container's values are mapped onto (`common` of a metadata
 * report); absent when no container holds them.
 */
export const commonMetadataSchema = z.object({
  title: z.string().optional(),
  author: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
  dimensions: z.object({ width: z.number(), height: z.number() }).optional(),
  duration: z.number().optional(),
  gps: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().optional() }).optional(),
  camera: z.string().optional(),
  software: z.string().optional(),
});
export type CommonMetadata = z.infer<typeof commonMetadataSchema>;

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/** `GET /api/files/{org_id}/{file_id}/metadata`: what a file carries, by container. */
export const metadataReportSchema = z.object({
  /** The containers found (`EXIF`, `XMP`, `IPTC`, `ICC`, `PNG`, `PDF`, `ID3`, `Vorbis`, `MP4`, `Office`, `ffprobe`). */
  containers: z.array(z.string()),
  common: commonMetadataSchema,
  /** Every value found, by section (container or group) then key. */
  sections: z.record(z.string(), z.record(z.string(), metadataValue)),
  /** The keys that can be written back, by section. */
  editable: z.record(z.string(), z.array(z.string())),
});
export type MetadataReport = z.infer<typeof metadataReportSchema>;

/** `POST /api/files/{org_id}/{file_id}/metadata`: how to rewrite a file's metadata. */
export const metadataEditSchema = z
  .object({
    /** Removes GPS, serial numbers, owner/author/creator names, software and edit history; keeps orientation and colour profile. */
    anonymize: z.boolean().default(false),
    /** Removes every value that can be removed, but orientation and colour profile. */
    strip_all: z.boolean().default(false),
    set: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))).default({}),
    remove: z.record(z.string(), z.array(z.string())).default({}),
    /** A new file with the edited metadata; otherwise a new version of the same file. */
    as_copy: z.boolean().default(false),
  })
  .strict();
export type MetadataEdit = z.infer<typeof metadataEditSchema>;

export interface MetadataReadContext {
  inputPath: string;
  format: string;
  signal: AbortSignal;
  log: PluginLogger;
}

export interface MetadataWriteContext extends MetadataReadContext {
  outputPath: string;
  edit: Omit<MetadataEdit, 'as_copy'>;
}

/** Reads and rewrites the metadata inside files of the formats it declares. */
export interface MetadataToolDefinition {
  id: string;
  version: string;
  /** Formats it can read; `writableFormats` those it can also rewrite. */
  readableFormats: readonly string[];
  writableFormats: readonly string[];
  probe?(): Promise<ProbeResult>;
  read(ctx: MetadataReadContext): Promise<MetadataReport>;
  /** Writes `inputPath` with `edit` applied to `outputPath`; a key not in `editable` is a PluginError('invalid_parameter'). */
  write(ctx: MetadataWriteContext): Promise<void>;
  dispose?(): Promise<void>;
}

/** Declares a metadata tool; the identity function exists for type checking. */
export function defineMetadataTool(definition: MetadataToolDefinition): MetadataToolDefinition {
  return definition;
}
