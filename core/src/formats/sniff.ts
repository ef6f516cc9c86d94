/**
 * Decides an upload's format from its first bytes (magic numbers), with the file name's
 * extension as a fallback for formats that have no signature (text formats: csv, json, …).
 * The signatures and the table of known formats are the contracts' (file-signatures), shared
 * with the scanner.
 *
 * The content is trusted over the name: a name that claims a format the bytes contradict is
 * reported as a mismatch, so that a renamed file never reaches a converter under a false flag.
 */

import {
  containerOnlySignatures,
  fileNameExtension,
  formatFromFileName,
  knownFileFormat,
  signatureAgrees,
  sniffFormat,
  type Format,
} from '@conveyor/contracts';

/**
 * The formats among `declared` that this table does not know (a third-party plugin's `ppm`),
 * by id. Formats the table knows keep its signatures and extensions: a plugin that declares
 * `png` again, or claims the `.png` extension for a format of its own, changes nothing.
 */
function introducedFormats(declared: Iterable<Format>): Map<string, Format> {
  const introduced = new Map<string, Format>();
  for (const format of declared) if (knownFileFormat(format.id) === undefined) introduced.set(format.id, format);
  return introduced;
}

/** Only for a name whose extension no known format claims (formatFromFileName found none). */
function introducedFormatFromFileName(fileName: string, introduced: ReadonlyMap<string, Format>): string | undefined {
  const extension = fileNameExtension(fileName);
  if (extension === undefined) return undefined;
  for (const format of introduced.values()) {
    if (format.extensions.some((candidate) => candidate.toLowerCase() === extension)) return format.id;
  }
  return undefined;
}

/** The MIME type and file extensions this table knows for a format id (the first extension is the usual one). */
export function knownFormatTraits(format: string): { mime: string; extensions: string[] } | undefined {
  const known = knownFileFormat(format);
  return known && { mime: known.mime, extensions: [...known.extensions] };
}

/** The usual MIME type of a format id, or `application/octet-stream` when it is not known here. */
export function mimeOfFormat(format: string): string {
  return knownFileFormat(format)?.mime ?? 'application/octet-stream';
}

export type FormatDetection =
  | { outcome: 'detected'; format: string; mime: string }
  /** The name claims `declared`, the content shows `sniffed` (undefined: no signature at all). */
  | { outcome: 'mismatch'; declared: string; sniffed: string | undefined }
  | { outcome: 'unknown' };

/**
 * Decides an upload's format from its first bytes and its file name.
 *
 * The name refines the content where the content is a container (`report.docx` sniffs as
 * zip and is a docx); a name the content contradicts is a mismatch.
 *
 * `declaredFormats` are the formats the plugins declare. Those this table does not know have
 * no signature here, so, like text formats, they are recognised by their extension only when
 * the content shows no known signature: a PNG renamed `.ppm` is still a mismatch.
 *
 * @example detectFormat(head, 'photo.png') // { outcome: 'detected', format: 'png', mime: 'image/png' }
 * @example detectFormat(Buffer.from('P6\n40 30\n255\n'), 'scan.ppm', [ppmFormat]) // { outcome: 'detected', format: 'ppm', mime: 'image/x-portable-pixmap' }
 */
export function detectFormat(head: Uint8Array, fileName: string, declaredFormats: Iterable<Format> = []): FormatDetection {
  const introduced = introducedFormats(declaredFormats);
  const sniffed = sniffFormat(head);
  const declared = formatFromFileName(fileName) ?? introducedFormatFromFileName(fileName, introduced);
  const detected = (format: string): FormatDetection => ({ outcome: 'detected', format, mime: introduced.get(format)?.mime ?? mimeOfFormat(format) });
  if (declared === undefined) return sniffed === undefined || containerOnlySignatures.has(sniffed) ? { outcome: 'unknown' } : detected(sniffed);
  return signatureAgrees(declared, sniffed) ? detected(declared) : { outcome: 'mismatch', declared, sniffed };
}
