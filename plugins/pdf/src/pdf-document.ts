import { PluginError } from '@conveyor/contracts';
import type { PDFDocument } from 'mupdf';
import { throwIfCancelled } from './cancellation.js';
import { chargeDecodedStreams } from './decompressed-size.js';
import { checkPageCount, type DecompressionBudget, type PdfLimits } from './limits.js';
import { loadMupdf } from './mupdf-library.js';

/** What the checks of an input are told: its limits, the shared budget, and how to name it. */
export interface InputChecks {
  limits: PdfLimits;
  budget: DecompressionBudget;
  signal: AbortSignal | undefined;
  /** How messages name this input: "the PDF", "input 3". */
  label: string;
}

/**
 * Opens `bytes` as a PDF that may be worked on: readable, not locked by a password, with at
 * least one page and no more than the limits allow. The caller destroys the document.
 */
export async function openCheckedPdf(bytes: Uint8Array, checks: InputChecks): Promise<PDFDocument> {
  const doc = await openPdf(bytes, checks.label);
  try {
    const pages = countPages(doc, checks.label);
    checkPageCount(pages, checks.limits);
    await chargeDecodedStreams(doc, checks.budget, checks.signal, checks.label);
    throwIfCancelled(checks.signal);
    return doc;
  } catch (error) {
    doc.destroy();
    throw error;
  }
}

async function openPdf(bytes: Uint8Array, label: string): Promise<PDFDocument> {
  const mupdf = await loadMupdf();
  let document: InstanceType<MupdfDocument>;
  try {
    document = mupdf.Document.openDocument(bytes, 'application/pdf');
  } catch (error) {
    throw new PluginError('invalid_input', `${label} is not a readable PDF: ${(error as Error).message}`);
  }
  const pdf = document.asPDF();
  if (!pdf) {
    document.destroy();
    throw new PluginError('invalid_input', `${label} is not a PDF`);
  }
  if (pdf.needsPassword()) {
    pdf.destroy();
    throw new PluginError('invalid_input', `${label} is password-protected`);
  }
  return pdf;
}

type MupdfDocument = Awaited<ReturnType<typeof loadMupdf>>['Document'];

function countPages(doc: PDFDocument, label: string): number {
  let pages: number;
  try {
    pages = doc.countPages();
  } catch (error) {
    throw new PluginError('invalid_input', `${label} has an unreadable page tree: ${(error as Error).message}`);
  }
  // MuPDF repairs what it can; a file damaged beyond that opens with no pages at all.
  if (pages < 1) throw new PluginError('invalid_input', `${label} has no readable pages`);
  return pages;
}

/** Runs MuPDF work on an input, reporting MuPDF's failures as a damaged input. */
export function readingPdf<T>(label: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError('invalid_input', `${label} could not be read: ${(error as Error).message}`);
  }
}
