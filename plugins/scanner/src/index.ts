import { defineScanner, type ProbeResult, type ScannerDefinition } from '@conveyor/contracts';
import { ClamdUnavailable, pingClamd } from './clamd-client.js';
import { loadMupdf, loadSharp } from './libraries.js';
import { scanFile } from './scan.js';
import { readScannerSettings, type ScannerSettings } from './settings.js';

/**
 * A scanner with the settings read from `env` (CLAMD_SOCKET, CLAMD_HOST, CLAMD_PORT,
 * CLAMD_TIMEOUT_MS, FFPROBE_PATH). The default export reads them once, from the process's
 * environment when this module loads.
 */
export function createScanner(env: Record<string, string | undefined>): ScannerDefinition {
  return scannerWith(readScannerSettings(env));
}

function scannerWith(settings: ScannerSettings): ScannerDefinition {
  return defineScanner({
    id: 'scanner',
    // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
    version: '0.1.0',
    probe: () => probeScanner(settings),
    scan: (ctx) => scanFile(ctx, settings),
  });
}

/** Ready when its libraries load and, if ClamAV is configured, clamd answers PING. */
async function probeScanner(settings: ScannerSettings): Promise<ProbeResult> {
  if (settings.problem) return { ok: false, reason: settings.problem };
  try {
    await Promise.all([loadSharp(), loadMupdf()]);
  } catch (error) {
    return { ok: false, reason: `a library the scanner needs does not load: ${(error as Error).message}` };
  }
  if (!settings.clamd) return { ok: true };
  try {
    await pingClamd(settings.clamd);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof ClamdUnavailable ? error.message : `clamd did not answer PING: ${(error as Error).message}` };
  }
}

/**
 * Looks at every uploaded file once, before its first conversion: type agreement and
 * polyglots, byte/pixel/page/duration limits, zip-container expansion, the EICAR test
 * signature, and ClamAV (clamd's INSTREAM) when configured.
 */
export const scannerPlugin = scannerWith(readScannerSettings(process.env));

export default scannerPlugin;
export { parseScanReply, pingClamd, scanWithClamd, ClamdUnavailable, type ClamdVerdict } from './clamd-client.js';
export { readScannerSettings, type ClamdSettings, type ScannerSettings } from './settings.js';
