import { definePlugin } from '@conveyor/contracts';
import { pdfCapabilities } from './capabilities.js';
import { convertPdf } from './convert.js';
import { probePdf } from './probe.js';
import { makePdfTemplate } from './templates.js';

/**
 * PDF conversions through MuPDF (WebAssembly), pdf-lib and sharp: pages rendered to images,
 * text extracted, images made into PDFs, and PDFs split, merged, trimmed and linearized.
 */
export const pdfPlugin = definePlugin({
  id: 'pdf',
  // Kept equal to package.json's version (the package is built from src/ only, so it cannot import it).
  version: '0.1.0',
  // Read when the host builds its graph, after the probe: linearize is offered only where qpdf is found.
  get capabilities() {
    return pdfCapabilities();
  },
  probe: probePdf,
  convert: convertPdf,
  template: makePdfTemplate,
});

export default pdfPlugin;
export { pdfCapabilities } from './capabilities.js';
export { canLinearize } from './linearizer.js';
export { fallbackLimits, type PdfLimits, type PdfToolControl } from './limits.js';
export { parsePageList } from './options.js';
export { deletePages, editPdf, linearizePdf, maxMergeInputs, mergePdfs, minMergeInputs, splitPdf, type PdfEdit } from './tools.js';
