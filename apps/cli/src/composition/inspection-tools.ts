import type { MetadataToolDefinition, ScannerDefinition } from '@conveyor/contracts';
import type { Logger } from '@conveyor/core';
import metadataTool, { metadataGuide } from '@conveyor/plugin-metadata';
import scanner from '@conveyor/plugin-scanner';

export interface InspectionTools {
  scanner: ScannerDefinition;
  /** Undefined when its probe fails here (no perl for exiftool): files are then recorded as carrying no readable metadata. */
  metadataTool: MetadataToolDefinition | undefined;
  /** What each metadata container holds and what anonymize removes (`GET /api/help/metadata`). */
  metadataGuide: unknown;
}

/**
 * The scanner and the metadata tool. The scanner is always hosted: every upload must be
 * scanned, and its built-in checks need nothing installed; a failing probe (ClamAV
 * configured but not answering) is logged, and scans then fail until it answers.
 */
export async function loadInspectionTools(logger: Logger): Promise<InspectionTools> {
  const [scannerProbe, metadataProbe] = await Promise.all([
    scanner.probe?.() ?? { ok: true as const },
    metadataTool.probe?.().catch((error: Error) => ({ ok: false as const, reason: error.message })) ?? { ok: true as const },
  ]);
  if (!scannerProbe.ok) logger.error({ scanner: scanner.id, reason: scannerProbe.reason }, 'scanner probe failed: uploads stay unscanned (and unconverted) until it passes');
  if (!metadataProbe.ok) logger.warn({ tool: metadataTool.id, reason: metadataProbe.reason }, 'metadata tool left out: probe failed');
  return { scanner, metadataTool: metadataProbe.ok ? metadataTool : undefined, metadataGuide };
}
