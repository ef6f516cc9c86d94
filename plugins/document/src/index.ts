import { definePlugin } from '@conveyor/contracts';
import { documentCapabilities } from './capabilities.js';
import { convertDocument } from './convert.js';
import { documentFormats } from './formats.js';
import { shutdownOfficePool } from './office-pool.js';
import { probeOffice } from './probe.js';

/**
 * Office documents through LibreOffice (kept warm in a pool of listeners, driven by unoconv):
 * text documents, spreadsheets and presentations to each other within their kind, and to PDF.
 */
export const documentPlugin = definePlugin({
  id: 'document',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  formats: documentFormats,
  capabilities: documentCapabilities,
  probe: probeOffice,
  convert: convertDocument,
  dispose: shutdownOfficePool,
});

export default documentPlugin;
export { documentCapabilities, officeCost } from './capabilities.js';
export { documentFormatIds, documentFormats, type DocumentFormatId, type TargetFormatId } from './formats.js';
export { shutdownOfficePool } from './office-pool.js';
export { parseDocumentOptions, type DocumentOptions, type PdfProfile } from './options.js';
