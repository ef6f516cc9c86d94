import { PluginError } from '@conveyor/contracts';
import { zipSync, type Zippable } from 'fflate';
import type { PDFDocument } from 'mupdf';
import { pauseForCancel } from './cancellation.js';
import { fileExtension, type RasterFormat } from './formats.js';
import { DecompressionBudget, type PdfLimits } from './limits.js';
import type { PageRenderOptions, ZipOptions } from './options.js';
import { splitDocument } from './page-edits.js';
import { readingPdf } from './pdf-document.js';
import { renderPage } from './render.js';
import { openInputs } from './tools.js';

/** How a conversion of one PDF is steered: its limits, its signal, its progress (a share, 0–1). */
export interface PageWork {
  limits: PdfLimits;
  signal: AbortSignal;
  onProgress(fraction: number): void;
}

/** Share of the progress reached once the input is open and checked. */
const openedShare = 0.3;

async function withInput<T>(bytes: Uint8Array, work: PageWork, use: (doc: PDFDocument) => Promise<T>): Promise<T> {
  const [doc] = await openInputs([bytes], work.limits, { signal: work.signal, onProgress: work.onProgress });
  try {
    return await use(doc!);
  } finally {
    doc!.destroy();
  }
}

/** Page `options.page` of the PDF, rendered as `target`. */
export async function renderOnePage(bytes: Uint8Array, target: RasterFormat, options: PageRenderOptions, work: PageWork): Promise<Uint8Array> {
  return withInput(bytes, work, async (doc) => {
    const count = doc.countPages();
    if (options.page > count) {
      throw new PluginError('invalid_parameter', `page ${options.page} was asked for, but the PDF has ${count} page${count === 1 ? '' : 's'}`);
    }
    const page = readingPdf('the PDF', () => doc.loadPage(options.page - 1));
    try {
      return await renderPage(page, target, options, work.limits.maxPixels, `page ${options.page}`);
    } finally {
      page.destroy();
    }
  });
}

/**
 * A zip holding every page as a file of its own: one-page PDFs (a split), or renderings. The
 * zip's content counts against the decompression limit too, as unzipping it would.
 */
export async function zipPages(bytes: Uint8Array, options: ZipOptions, work: PageWork): Promise<Uint8Array> {
  return withInput(bytes, work, async (doc) => {
    const count = doc.countPages();
    const digits = Math.max(3, String(count).length);
    const budget = new DecompressionBudget(work.limits.maxDecompressedBytes);
    // Page files are compressed already (Flate inside the PDFs, PNG/JPEG/WebP encoding): stored as they are.
    const entries: Zippable = {};
    const add = (file: Uint8Array) => {
      const number = Object.keys(entries).length + 1;
      budget.charge(file.length, 'the zip of every page');
      entries[`page-${String(number).padStart(digits, '0')}.${fileExtension[options.pagesAs]}`] = [file, { level: 0 }];
      work.onProgress(openedShare + ((1 - openedShare) * number) / count);
    };
    const { pagesAs } = options;
    if (pagesAs === 'pdf') {
      await splitDocument(doc, 'the PDF', work.signal, add);
    } else {
      for (let index = 0; index < count; index++) {
        const page = readingPdf('the PDF', () => doc.loadPage(index));
        try {
          add(await renderPage(page, pagesAs, options, work.limits.maxPixels, `page ${index + 1}`));
        } finally {
          page.destroy();
        }
        await pauseForCancel(work.signal);
      }
    }
    return zipSync(entries);
  });
}

/**
 * The text of every page, in reading order as MuPDF's structured text finds it; pages are
 * separated by a form feed, as pdftotext does.
 */
export async function extractText(bytes: Uint8Array, work: PageWork): Promise<Uint8Array> {
  return withInput(bytes, work, async (doc) => {
    const count = doc.countPages();
    const pages: string[] = [];
    for (let index = 0; index < count; index++) {
      const label = `page ${index + 1}`;
      const page = readingPdf(label, () => doc.loadPage(index));
      try {
        const text = readingPdf(label, () => page.toStructuredText('preserve-whitespace'));
        try {
          pages.push(`${text.asText().trimEnd()}\n`);
        } finally {
          text.destroy();
        }
      } finally {
        page.destroy();
      }
      work.onProgress(openedShare + ((1 - openedShare) * (index + 1)) / count);
      await pauseForCancel(work.signal);
    }
    return new TextEncoder().encode(pages.join('\f'));
  });
}
