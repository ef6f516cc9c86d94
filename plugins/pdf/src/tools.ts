import { PluginError } from '@conveyor/contracts';
import type { PDFDocument } from 'mupdf';
import { throwIfCancelled } from './cancellation.js';
import { checkPageCount, DecompressionBudget, limitsOf, type PdfLimits, type PdfToolControl } from './limits.js';
import { canLinearize, linearize } from './linearizer.js';
import { parsePageList } from './options.js';
import { mergeDocuments, removePages, saveDocument, splitDocument } from './page-edits.js';
import { openCheckedPdf } from './pdf-document.js';

export const minMergeInputs = 2;
export const maxMergeInputs = 20;

/** One pdf → pdf job: the inputs merged in order (one input: itself), then pages deleted, then linearized. */
export interface PdfEdit {
  documents: readonly Uint8Array[];
  /** 1-indexed page numbers of the merged document. */
  deletePages?: readonly number[];
  linearize?: boolean;
}

/** Shares of the progress each stage ends at. */
const progressAfter = { opening: 0.3, pages: 0.8, saving: 0.9 };

/** Opens each input in order, each held to the limits, the whole set to one budget. */
export async function openInputs(documents: readonly Uint8Array[], limits: PdfLimits, control: PdfToolControl): Promise<PDFDocument[]> {
  const budget = new DecompressionBudget(limits.maxDecompressedBytes);
  const opened: PDFDocument[] = [];
  try {
    let pages = 0;
    for (const [index, bytes] of documents.entries()) {
      const label = documents.length === 1 ? 'the PDF' : `input ${index + 1}`;
      const doc = await openCheckedPdf(bytes, { limits, budget, signal: control.signal, label });
      opened.push(doc);
      pages += doc.countPages();
      checkPageCount(pages, limits);
      control.onProgress?.((progressAfter.opening * (index + 1)) / documents.length);
    }
    return opened;
  } catch (error) {
    for (const doc of opened) doc.destroy();
    throw error;
  }
}

/** Applies `edit` and returns the resulting PDF. */
export async function editPdf(edit: PdfEdit, control: PdfToolControl = {}): Promise<Uint8Array> {
  const limits = limitsOf(control);
  const { documents } = edit;
  if (documents.length < 1 || documents.length > maxMergeInputs) {
    throw new PluginError('invalid_parameter', `a PDF job takes 1 to ${maxMergeInputs} files, got ${documents.length}`);
  }
  // Refused before any work: a job that cannot be finished should not first spend its time.
  if (edit.linearize && !canLinearize()) throw new PluginError('invalid_parameter', 'linearize is not available here: qpdf is not installed');
  throwIfCancelled(control.signal);

  const sources = await openInputs(documents, limits, control);
  let result: PDFDocument | undefined;
  try {
    const totalPages = sources.reduce((sum, doc) => sum + doc.countPages(), 0);
    let grafted = 0;
    result =
      sources.length === 1
        ? sources[0]!
        : await mergeDocuments(sources, control.signal, () => {
            grafted += 1;
            control.onProgress?.(progressAfter.opening + ((progressAfter.pages - progressAfter.opening) * grafted) / totalPages);
          });
    const label = sources.length === 1 ? 'the PDF' : 'the merged PDF';
    if (edit.deletePages) removePages(result, edit.deletePages, label);
    throwIfCancelled(control.signal);
    const untouched = sources.length === 1 && !edit.deletePages;
    // qpdf rewrites the whole file anyway: an unedited input goes to it as it came.
    let bytes = untouched && edit.linearize ? documents[0]! : saveDocument(result, label);
    control.onProgress?.(progressAfter.saving);
    if (edit.linearize) bytes = await linearize(bytes, control.signal);
    throwIfCancelled(control.signal);
    control.onProgress?.(1);
    return bytes;
  } finally {
    if (result && !sources.includes(result)) result.destroy();
    for (const doc of sources) doc.destroy();
  }
}

/** Merges 2–20 PDFs, in the order given, into one. */
export async function mergePdfs(documents: readonly Uint8Array[], control: PdfToolControl = {}): Promise<Uint8Array> {
  if (documents.length < minMergeInputs || documents.length > maxMergeInputs) {
    throw new PluginError('invalid_parameter', `a merge takes ${minMergeInputs} to ${maxMergeInputs} PDFs, got ${documents.length}`);
  }
  return editPdf({ documents }, control);
}

/**
 * `document` without the 1-indexed `pages`, given as numbers or as a string like "2,5,8".
 *
 * @example await deletePages(pdf, '2,5') // the PDF minus its second and fifth pages
 */
export async function deletePages(document: Uint8Array, pages: readonly number[] | string, control: PdfToolControl = {}): Promise<Uint8Array> {
  return editPdf({ documents: [document], deletePages: parsePageList(pages) }, control);
}

/** `document` rewritten for fast web view; invalid_parameter where qpdf is not installed. */
export async function linearizePdf(document: Uint8Array, control: PdfToolControl = {}): Promise<Uint8Array> {
  return editPdf({ documents: [document], linearize: true }, control);
}

/** Every page of `document` as a one-page PDF, in order. */
export async function splitPdf(document: Uint8Array, control: PdfToolControl = {}): Promise<Uint8Array[]> {
  const limits = limitsOf(control);
  throwIfCancelled(control.signal);
  const [doc] = await openInputs([document], limits, control);
  try {
    const pages: Uint8Array[] = [];
    const count = doc!.countPages();
    await splitDocument(doc!, 'the PDF', control.signal, (bytes) => {
      pages.push(bytes);
      control.onProgress?.(progressAfter.opening + ((1 - progressAfter.opening) * pages.length) / count);
    });
    return pages;
  } finally {
    doc!.destroy();
  }
}
