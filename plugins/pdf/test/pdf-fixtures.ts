import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as mupdf from 'mupdf';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

export { conversionContext, type RecordedContext } from '../../../test/plugin-conformance/index.js';

/** Page sizes of the sample PDF, in points: all different, so a rendering shows which page it is. */
export const samplePageSizes: Array<[number, number]> = [
  [200, 100],
  [300, 120],
  [160, 240],
];
export const samplePageTexts = ['Alpha page one', 'Bravo page two', 'Charlie page three'];

export const fixtureWidth = 64;
export const fixtureHeight = 48;

/** A PDF with one page per text, each page showing its text; sizes cycle through `sizes`. */
export async function makeTextPdf(texts: readonly string[] = samplePageTexts, sizes = samplePageSizes): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  texts.forEach((text, index) => {
    const [width, height] = sizes[index % sizes.length]!;
    pdf.addPage([width, height]).drawText(text, { x: 10, y: height / 2, size: 12, font });
  });
  return pdf.save();
}

/** A one-page PDF whose content stream is `inflatedBytes` of spaces, Flate-compressed to almost nothing. */
export async function makeFlateBombPdf(inflatedBytes: number, wrapInAsciiHex = false): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([100, 100]);
  const compressed = deflateSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
  const data = wrapInAsciiHex ? Buffer.from(`${compressed.toString('hex')}>`) : compressed;
  const filter = wrapInAsciiHex ? [PDFName.of('ASCIIHexDecode'), PDFName.of('FlateDecode')] : PDFName.of('FlateDecode');
  const dict = pdf.context.obj({ Filter: filter, Length: data.length });
  page.node.set(PDFName.of('Contents'), pdf.context.register(PDFRawStream.of(dict, data)));
  return pdf.save();
}

/**
 * A one-page PDF with an unreferenced RunLength stream of `runs` runs of 128 bytes each: a
 * filter this plugin does not count itself, so MuPDF decodes it to measure it.
 */
export async function makeRunLengthPdf(runs: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([100, 100]);
  // Length byte 129 repeats the next byte 257 − 129 = 128 times; 128 ends the data.
  const data = Buffer.concat([Buffer.alloc(runs * 2, Buffer.from([129, 0x41])), Buffer.from([128])]);
  pdf.context.register(PDFRawStream.of(pdf.context.obj({ Filter: 'RunLengthDecode', Length: data.length }), data));
  return pdf.save();
}

/** `pdf` encrypted with AES-256; with a user password it cannot be opened without one. */
export function encryptPdf(pdf: Uint8Array, userPassword: string | undefined): Uint8Array {
  const doc = new mupdf.PDFDocument(pdf);
  try {
    const user = userPassword === undefined ? '' : `,user-password=${userPassword}`;
    return doc.saveToBuffer(`encrypt=aes-256,owner-password=owner-secret${user}`).asUint8Array().slice();
  } finally {
    doc.destroy();
  }
}

/** The text of each page of `pdf`, trimmed, read with MuPDF. */
export function pageTexts(pdf: Uint8Array): string[] {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    return Array.from({ length: doc.countPages() }, (_, index) => {
      const page = doc.loadPage(index);
      try {
        return page.toStructuredText('preserve-whitespace').asText().trim();
      } finally {
        page.destroy();
      }
    });
  } finally {
    doc.destroy();
  }
}

export async function pageSizes(pdf: Uint8Array): Promise<Array<[number, number]>> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const { width, height } = page.getSize();
    return [width, height];
  });
}

/** Pixels across a `points`-long edge rendered at `dpi`, as MuPDF rounds it. */
export function pixelsAt(points: number, dpi: number): number {
  return Math.ceil((points * dpi) / 72 - 0.001);
}

export type SampleImageFormat = 'png' | 'jpeg' | 'webp' | 'tiff';

/** A noisy image of `format`; `pages` > 1 makes a multi-page TIFF. */
export async function makeImage(format: SampleImageFormat, options: { pages?: number; density?: number } = {}): Promise<Buffer> {
  const pages = options.pages ?? 1;
  let image = sharp({
    create: {
      width: fixtureWidth,
      height: fixtureHeight * pages,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
      ...(pages > 1 ? { pageHeight: fixtureHeight } : {}),
    },
  });
  if (options.density !== undefined) image = image.withMetadata({ density: options.density });
  return image.toFormat(format).toBuffer();
}

const workDirs: string[] = [];

export async function makeWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-pdf-test-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}
