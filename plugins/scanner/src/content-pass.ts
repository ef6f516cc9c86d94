import { eicarReason, eicarSignature } from './eicar.js';
import { findZipLocalHeader, localHeaderWindow } from './embedded-archive.js';
import type { ScannedFile } from './file-reader.js';
import { rasterImageFormats } from './format-families.js';
import { infected, rejected, type Finding } from './verdicts.js';

/** Bytes kept from the end of one chunk and searched again with the next, so nothing straddling two is missed. */
const overlapBytes = Math.max(eicarSignature.length, localHeaderWindow) - 1;

/**
 * Reads the whole file once, as a stream, looking for what may sit anywhere in it: the EICAR
 * test signature, and in a raster image a ZIP (or JAR) hidden after or inside the picture.
 */
export async function scanContent(file: ScannedFile, format: string, signal: AbortSignal): Promise<Finding> {
  const lookForArchives = rasterImageFormats.has(format);
  let carried = Buffer.alloc(0);
  let carriedFrom = 0;
  for await (const chunk of file.chunks(signal)) {
    const window = carried.length > 0 ? Buffer.concat([carried, chunk]) : chunk;
    if (window.includes(eicarSignature)) return infected(eicarReason);
    if (lookForArchives) {
      // Offset 0 is the image's own signature, never an archive's.
      const at = findZipLocalHeader(window, carriedFrom === 0 ? 1 : 0);
      if (at >= 0) return rejected(`a ZIP archive is hidden inside the ${format} image (at byte ${carriedFrom + at})`);
    }
    const keep = Math.min(overlapBytes, window.length);
    carriedFrom += window.length - keep;
    carried = Buffer.from(window.subarray(window.length - keep));
  }
  // The last bytes were only searched for headers with room for a name; look at them once more, padded.
  if (lookForArchives && carried.length > 0) {
    const at = findZipLocalHeader(Buffer.concat([carried, Buffer.alloc(localHeaderWindow)]), carriedFrom === 0 ? 1 : 0);
    if (at >= 0 && at < carried.length) return rejected(`a ZIP archive is hidden inside the ${format} image (at byte ${carriedFrom + at})`);
  }
  return undefined;
}
