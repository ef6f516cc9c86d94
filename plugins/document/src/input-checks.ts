import { open } from 'node:fs/promises';
import { PluginError, type ConversionLimits } from '@conveyor/contracts';
import { formatName, traitsOf, type DocumentFormatId } from './formats.js';
import { NotAZipError, readZipDirectory, readZipEntry, type ZipEntry } from './zip-directory.js';

/** The part every package of a format has; without it LibreOffice would guess, and may open it as text. */
const mainPart: Partial<Record<DocumentFormatId, string>> = {
  docx: 'word/document.xml',
  xlsx: 'xl/workbook.xml',
  pptx: 'ppt/presentation.xml',
  odt: 'content.xml',
  ods: 'content.xml',
  odp: 'content.xml',
};

const compoundFileSignature = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** How much of a text input is looked at for bytes no text has. */
const textSniffBytes = 64 * 1024;

async function head(path: string, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function invalid(from: DocumentFormatId, reason: string): PluginError {
  return new PluginError('invalid_input', `the input is not a readable ${formatName(from)}: ${reason}`);
}

/**
 * Refuses, before LibreOffice sees it, an input that is not what it claims to be (LibreOffice
 * itself would often open it as plain text and "convert" the garbage) or that is over the limits
 * where the limit can be read from the file: a package's decompressed size, its declared pages.
 */
export async function checkInput(path: string, from: DocumentFormatId, limits: ConversionLimits): Promise<void> {
  if (traitsOf(from).zipPackage) return checkPackage(path, from, limits);
  const start = await head(path, textSniffBytes);
  if (start.length === 0) throw invalid(from, 'the file is empty');
  switch (from) {
    case 'doc':
    case 'xls':
    case 'ppt':
      if (!start.subarray(0, 8).equals(compoundFileSignature)) throw invalid(from, 'it is not an OLE2 compound file');
      return;
    case 'rtf':
      if (!start.toString('latin1', 0, 5).startsWith('{\\rtf')) throw invalid(from, 'it does not start with {\\rtf');
      return;
    default:
      if (start.includes(0)) throw invalid(from, 'it holds NUL bytes, so it is binary, not text');
  }
}

async function checkPackage(path: string, from: DocumentFormatId, limits: ConversionLimits): Promise<void> {
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(path);
  } catch (error) {
    if (error instanceof NotAZipError) throw invalid(from, error.message);
    throw error;
  }
  const required = mainPart[from];
  if (required && !entries.some((entry) => entry.name === required)) throw invalid(from, `the package has no ${required}`);
  const decompressed = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (decompressed > limits.maxDecompressedBytes) {
    throw new PluginError('limit_exceeded', `the ${formatName(from)} expands to ${decompressed} bytes, over the limit of ${limits.maxDecompressedBytes}`);
  }
  const pages = await declaredPageCount(path, from, entries).catch((error: unknown) => {
    if (error instanceof NotAZipError || (error as { code?: string }).code?.startsWith('Z_')) throw invalid(from, (error as Error).message);
    throw error;
  });
  if (pages !== undefined && pages > limits.maxPages) {
    throw new PluginError('limit_exceeded', `the ${formatName(from)} has ${pages} ${unitOf(from)}, over the limit of ${limits.maxPages}`);
  }
}

function unitOf(from: DocumentFormatId): string {
  const family = traitsOf(from).family;
  return family === 'spreadsheet' ? 'sheets' : family === 'presentation' ? 'slides' : 'pages';
}

async function entryText(path: string, entries: ZipEntry[], name: string): Promise<string | undefined> {
  const entry = entries.find((candidate) => candidate.name === name);
  return entry && (await readZipEntry(path, entry)).toString('utf8');
}

function count(text: string | undefined, pattern: RegExp): number | undefined {
  return text === undefined ? undefined : (text.match(pattern) ?? []).length;
}

/**
 * Pages, sheets or slides, as the package states them. Sheets and slides are counted from the
 * structure; a text document's pages are a layout result, so only the count its producer
 * recorded is known before converting (a PDF output is counted for real afterwards).
 */
async function declaredPageCount(path: string, from: DocumentFormatId, entries: ZipEntry[]): Promise<number | undefined> {
  switch (from) {
    case 'docx': {
      const pages = (await entryText(path, entries, 'docProps/app.xml'))?.match(/<Pages>(\d+)<\/Pages>/);
      return pages ? Number(pages[1]) : undefined;
    }
    case 'odt': {
      const pages = (await entryText(path, entries, 'meta.xml'))?.match(/meta:page-count="(\d+)"/);
      return pages ? Number(pages[1]) : undefined;
    }
    case 'xlsx':
      return count(await entryText(path, entries, 'xl/workbook.xml'), /<(?:\w+:)?sheet\s/g);
    case 'pptx':
      return entries.filter((entry) => /^ppt\/slides\/slide\d+\.xml$/.test(entry.name)).length;
    case 'ods':
      return count(await entryText(path, entries, 'content.xml'), /<table:table[\s>]/g);
    case 'odp':
      return count(await entryText(path, entries, 'content.xml'), /<draw:page[\s>]/g);
    default:
      return undefined;
  }
}

/** Pages in a PDF LibreOffice wrote: its page objects are plain dictionaries, never in object streams. */
export function pdfPageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
  if (pages > 0) return pages;
  const counts = [...text.matchAll(/\/Count\s+(\d+)/g)].map((match) => Number(match[1]));
  return counts.length > 0 ? Math.max(...counts) : 0;
}
