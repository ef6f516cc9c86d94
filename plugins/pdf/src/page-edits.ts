import { PluginError } from '@conveyor/contracts';
import type { PDFDocument } from 'mupdf';
import { pauseForCancel } from './cancellation.js';
import { loadMupdf } from './mupdf-library.js';
import { readingPdf } from './pdf-document.js';

/**
 * How documents are written: unused objects dropped (a deleted page's content goes with it),
 * streams compressed, and small objects packed into object streams (without them a rewrite of
 * a pdf-lib file doubles in size). Encryption that needs no password to open is kept as it was.
 */
const saveOptions = 'garbage=compact,compress,objstms';

export function saveDocument(doc: PDFDocument, label: string): Uint8Array {
  return readingPdf(label, () => {
    const buffer = doc.saveToBuffer(saveOptions);
    try {
      return buffer.asUint8Array().slice();
    } finally {
      buffer.destroy();
    }
  });
}

/**
 * A new document holding every page of `sources`, in order. One graft map per source, so that
 * resources its pages share (fonts, images) are copied once, not once per page.
 */
export async function mergeDocuments(sources: readonly PDFDocument[], signal: AbortSignal | undefined, onPage: () => void): Promise<PDFDocument> {
  const mupdf = await loadMupdf();
  const merged = new mupdf.PDFDocument();
  try {
    for (const [index, source] of sources.entries()) {
      const map = merged.newGraftMap();
      try {
        const pages = source.countPages();
        for (let page = 0; page < pages; page++) {
          readingPdf(`input ${index + 1}`, () => map.graftPage(-1, source, page));
          onPage();
          await pauseForCancel(signal);
        }
      } finally {
        map.destroy();
      }
    }
    return merged;
  } catch (error) {
    merged.destroy();
    throw error;
  }
}

/** Removes the 1-indexed `pages` from `doc`; at least one page must exist and one must remain. */
export function removePages(doc: PDFDocument, pages: readonly number[], label: string): void {
  const count = doc.countPages();
  const missing = pages.filter((page) => page > count);
  if (missing.length > 0) {
    throw new PluginError('invalid_parameter', `delete_pages names page ${missing.join(', ')}, but ${label} has ${count} page${count === 1 ? '' : 's'}`);
  }
  const deleted = new Set(pages);
  const kept = Array.from({ length: count }, (_, index) => index).filter((index) => !deleted.has(index + 1));
  if (kept.length === 0) throw new PluginError('invalid_parameter', `delete_pages would delete every page of ${label}`);
  readingPdf(label, () => doc.rearrangePages(kept));
}

/** Each page of `doc` as a one-page PDF of its own. */
export async function splitDocument(doc: PDFDocument, label: string, signal: AbortSignal | undefined, onPage: (bytes: Uint8Array) => void): Promise<void> {
  const mupdf = await loadMupdf();
  const pages = doc.countPages();
  for (let page = 0; page < pages; page++) {
    const single = new mupdf.PDFDocument();
    try {
      readingPdf(label, () => single.graftPage(-1, doc, page));
      onPage(saveDocument(single, label));
    } finally {
      single.destroy();
    }
    await pauseForCancel(signal);
  }
}
