import { readFile } from 'node:fs/promises';
import { PluginError } from '@conveyor/contracts';
import { PDFDocument } from 'pdf-lib';
import type { Sharp } from 'sharp';
import { pauseForCancel, settleOrCancel } from './cancellation.js';
import type { ImageSourceFormat } from './formats.js';
import { checkPageCount, type PdfLimits } from './limits.js';
import { loadSharp } from './sharp-library.js';

/** PDF user space has 72 units to the inch. */
const pointsPerInch = 72;
/** Resolutions an image may state and still be believed; outside them a page would be absurdly small or large. */
const believableDensity = { min: 10, max: 2400 };

export interface ImageWork {
  limits: PdfLimits;
  signal: AbortSignal;
  onProgress(fraction: number): void;
}

/**
 * A PDF with one page per image (per page of a multi-page TIFF), each page the image's size:
 * its pixels at the resolution the file states, else one pixel to the point (72 dpi). JPEGs
 * are embedded as they are, without recompression; other images go in as PNG, which pdf-lib
 * stores losslessly.
 */
export async function imagesToPdf(inputPath: string, from: ImageSourceFormat, work: ImageWork): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const input = await readFile(inputPath);
  const open = (page = 0): Sharp =>
    sharp(input, { limitInputPixels: work.limits.maxPixels, failOn: 'error', page }).autoOrient();
  const metadata = await settleOrCancel(sharp(input, { limitInputPixels: work.limits.maxPixels }).metadata(), work.signal).catch(describeImageFailure(from, work.limits.maxPixels));
  const pages = from === 'tiff' ? (metadata.pages ?? 1) : 1;
  checkPageCount(pages, work.limits);
  const density = metadata.density !== undefined && metadata.density >= believableDensity.min && metadata.density <= believableDensity.max ? metadata.density : pointsPerInch;

  const pdf = await PDFDocument.create();
  for (let index = 0; index < pages; index++) {
    const embedded = await settleOrCancel(embedImage(pdf, input, from, metadata.orientation, () => open(index)), work.signal).catch(describeImageFailure(from, work.limits.maxPixels));
    const width = (embedded.width * pointsPerInch) / density;
    const height = (embedded.height * pointsPerInch) / density;
    pdf.addPage([width, height]).drawImage(embedded, { x: 0, y: 0, width, height });
    work.onProgress((0.9 * (index + 1)) / pages);
    await pauseForCancel(work.signal);
  }
  return settleOrCancel(pdf.save(), work.signal);
}

type EmbeddedImage = Awaited<ReturnType<PDFDocument['embedPng']>>;

async function embedImage(pdf: PDFDocument, input: Buffer, from: ImageSourceFormat, orientation: number | undefined, open: () => Sharp): Promise<EmbeddedImage> {
  // A JPEG whose EXIF says to turn it would show unturned in a PDF: those are decoded and turned.
  if (from === 'jpeg' && (orientation === undefined || orientation === 1)) {
    // Decoding it fully once refuses a damaged JPEG here, not in the reader's viewer.
    await open().raw().toBuffer();
    return pdf.embedJpg(input);
  }
  // 8-bit sRGB: pdf-lib's PNG reader handles neither 16-bit samples nor CMYK.
  const png = await open().toColourspace('srgb').png({ compressionLevel: 6 }).toBuffer();
  return pdf.embedPng(png);
}

/** Turns a sharp failure into the PluginError a client can act on; other errors pass unchanged. */
function describeImageFailure(from: ImageSourceFormat, maxPixels: number) {
  return (error: unknown): never => {
    if (error instanceof PluginError || !(error instanceof Error) || 'code' in error) throw error;
    if (error.message.includes('exceeds pixel limit')) {
      throw new PluginError('limit_exceeded', `the ${from} image has more than the allowed ${maxPixels} pixels`);
    }
    throw new PluginError('invalid_input', `the input is not a readable ${from} image: ${error.message}`);
  };
}
