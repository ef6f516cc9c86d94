import type { ScannedFile } from './file-reader.js';
import { rasterImageFormats, zipBasedFormats } from './format-families.js';
import { rejected, type Finding } from './verdicts.js';
import { findZipEndRecord } from './zip-end-record.js';

/** PDF readers accept a `%PDF-` header anywhere in the first 1024 bytes. */
const pdfHeaderWindow = 1024;
/** Browsers that sniff content look at the first few hundred bytes; 1024 covers them. */
const markupWindow = 1024;
const markupInImages = ['<script', '<html', '<!doctype html', '<iframe', '<body', '<?php'];

/**
 * A polyglot is a file that is validly two formats: a picture that is also a ZIP (or JAR), a
 * document that a PDF reader opens as a different document, an image a browser runs as HTML.
 * Whichever program opens it decides what it is, so Conveyor refuses it.
 */
export async function checkPolyglot(file: ScannedFile, head: Buffer, format: string): Promise<Finding> {
  const pdfAt = format === 'pdf' ? -1 : head.subarray(0, pdfHeaderWindow).indexOf('%PDF-', 0, 'latin1');
  if (pdfAt >= 0 && !(zipBasedFormats.has(format) && insideFirstStoredEntry(head, pdfAt))) {
    return rejected(`the ${format} file also reads as a PDF (a %PDF- header at byte ${pdfAt})`);
  }
  if (rasterImageFormats.has(format)) {
    const text = head.subarray(0, markupWindow).toString('latin1').toLowerCase();
    const markup = markupInImages.find((tag) => text.includes(tag));
    if (markup) return rejected(`the ${format} image carries ${markup}> markup in its first bytes (an HTML/script polyglot)`);
  }
  if (!zipBasedFormats.has(format) && (await findZipEndRecord(file))) {
    return rejected(`the ${format} file also reads as a ZIP archive (a zip directory at its end)`);
  }
  return undefined;
}

/**
 * Whether `offset` lies in the data of the archive's first entry when that entry is stored
 * (not compressed): a zip holding a PDF as is shows the PDF's header there, and that PDF is
 * the archive's content, not a second reading of the file.
 */
function insideFirstStoredEntry(head: Buffer, offset: number): boolean {
  if (head.length < 30 || head.readUInt32LE(0) !== 0x04034b50 || head.readUInt16LE(8) !== 0) return false;
  const dataStart = 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  return offset >= dataStart && offset < dataStart + head.readUInt32LE(18);
}
