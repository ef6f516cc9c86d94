import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversionLimits, ConvertContext } from '@conveyor/contracts';
import { expect } from 'vitest';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { traitsOf, type DocumentFamily, type DocumentFormatId } from '../src/formats.js';
import { pdfPageCount } from '../src/input-checks.js';
import { officePool } from '../src/office-pool.js';
import { officeSettings } from '../src/office-settings.js';
import { runUnoconv } from '../src/unoconv-client.js';
import { readZipDirectory, readZipEntry } from '../src/zip-directory.js';

/** Read now: the conformance suite points TMPDIR into its job folders later. */
const fixtureRoot = tmpdir();
const workDirs: string[] = [];

export async function makeWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(fixtureRoot, 'conveyor-document-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Words each family's samples hold, looked for again in every output that keeps text. */
export const sampleText: Record<DocumentFamily, string[]> = {
  text: ['Conveyor sample text', 'second line 42'],
  spreadsheet: ['alpha', 'beta', '22'],
  presentation: ['Conveyor slide one', 'Second slide'],
};
/** Pages each family's sample makes as PDF: one page of text, one sheet, two slides. */
export const samplePdfPages: Record<DocumentFamily, number> = { text: 1, spreadsheet: 1, presentation: 2 };

const sourceTxt = `${sampleText.text[0]}\n${sampleText.text[1]}\n`;
const sourceHtml = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Sample</title></head><body><p>${sampleText.text[0]}</p><p>${sampleText.text[1]}</p></body></html>\n`;
const sourceCsv = 'name,count\nalpha,1\nbeta,22\n';

/** A flat-XML presentation of two slides, the source of the odp, pptx and ppt samples. */
export function flatPresentation(slides: string[]): string {
  const pages = slides
    .map(
      (text, index) =>
        `<draw:page draw:name="page${index + 1}"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame></draw:page>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:body><office:presentation>${pages}</office:presentation></office:body></office:document>
`;
}

/**
 * Converts `source` (any file LibreOffice reads, flat ODF included) to unoconv's `format` in the
 * plugin's own pool, bypassing the plugin: the way fixtures in formats nobody can write by hand
 * (doc, xlsx, ppt…) are made.
 */
export async function makeWithOffice(source: string, format: string, importOption?: string): Promise<Buffer> {
  const lease = await officePool().acquire(new AbortController().signal);
  const dir = await makeWorkDir();
  try {
    const output = join(dir, `made.${format}`);
    await runUnoconv(officeSettings(), { port: lease.port, inputPath: source, outputPath: output, format, importOption });
    return await readFile(output);
  } finally {
    lease.release();
  }
}

async function writeSource(name: string, content: string): Promise<string> {
  const path = join(await makeWorkDir(), name);
  await writeFile(path, content);
  return path;
}

const samples = new Map<DocumentFormatId, Promise<Buffer>>();

async function makeSample(format: DocumentFormatId): Promise<Buffer> {
  switch (format) {
    case 'txt':
      return Buffer.from(sourceTxt);
    case 'html':
      return Buffer.from(sourceHtml);
    case 'csv':
      return Buffer.from(sourceCsv);
    case 'docx':
    case 'doc':
    case 'odt':
    case 'rtf':
      return makeWithOffice(await writeSource('sample.txt', sourceTxt), format);
    case 'xlsx':
    case 'xls':
    case 'ods':
      return makeWithOffice(await writeSource('sample.csv', sourceCsv), format, 'FilterOptions=44,34,76,1');
    case 'pptx':
    case 'ppt':
    case 'odp':
      return makeWithOffice(await writeSource('sample.fodp', flatPresentation(sampleText.presentation)), format);
  }
}

/** The sample of `format`, made once per test file. */
export function sampleOf(format: DocumentFormatId): Promise<Buffer> {
  let sample = samples.get(format);
  if (!sample) {
    sample = makeSample(format);
    samples.set(format, sample);
  }
  return sample;
}

/** The part of each package that holds the document's text. */
const textParts: Record<string, (names: string[]) => string[]> = {
  docx: () => ['word/document.xml'],
  odt: () => ['content.xml'],
  ods: () => ['content.xml'],
  odp: () => ['content.xml'],
  xlsx: (names) => names.filter((name) => name === 'xl/sharedStrings.xml' || /^xl\/worksheets\/sheet\d+\.xml$/.test(name)),
  pptx: (names) => names.filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)),
};

/** The text-bearing parts of a zip package output, concatenated; fails if a part is missing. */
export async function packageText(bytes: Uint8Array, format: string): Promise<string> {
  const dir = await makeWorkDir();
  const path = join(dir, `package.${format}`);
  await writeFile(path, bytes);
  const entries = await readZipDirectory(path);
  const wanted = textParts[format]!(entries.map((entry) => entry.name));
  expect(wanted.length, `${format} output has no text part`).toBeGreaterThan(0);
  const texts = await Promise.all(
    wanted.map(async (name) => {
      const entry = entries.find((candidate) => candidate.name === name);
      expect(entry, `${format} output lacks ${name}`).toBeDefined();
      return (await readZipEntry(path, entry!)).toString('utf8');
    }),
  );
  return texts.join('\n');
}

/**
 * Decodes an output for real: a PDF's pages are counted (one per slide for presentations), a
 * package is opened and its main part must hold the source's words, text formats must hold them too.
 */
export async function verifyDocumentOutput({ from, to, bytes }: { from: string; to: string; bytes: Uint8Array }): Promise<void> {
  const family = traitsOf(from as DocumentFormatId).family;
  const words = sampleText[family];
  const buffer = Buffer.from(bytes);
  if (to === 'pdf') {
    expect(buffer.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(buffer), `${from} → pdf page count`).toBe(samplePdfPages[family]);
    expect(buffer.subarray(-1024).toString('latin1')).toContain('%%EOF');
    return;
  }
  let text: string;
  if (['docx', 'odt', 'xlsx', 'ods', 'pptx', 'odp'].includes(to)) text = await packageText(bytes, to);
  else text = buffer.toString('utf8');
  if (to === 'rtf') expect(text.startsWith('{\\rtf')).toBe(true);
  if (to === 'html') expect(text).toMatch(/<html/i);
  // The CSV keeps the numbers as cells: "beta,22".
  if (to === 'csv') expect(text).toMatch(/beta,22/);
  for (const word of words) expect(text, `${from} → ${to} lost "${word}"`).toContain(word);
}

export function testContext(overrides: Partial<ConvertContext> & Pick<ConvertContext, 'inputPath' | 'outputPath' | 'from' | 'to'>, limits: Partial<ConversionLimits> = {}): ConvertContext & { reported: number[] } {
  const reported: number[] = [];
  const quiet = () => undefined;
  return {
    options: {},
    signal: new AbortController().signal,
    progress: (percent: number) => reported.push(percent),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    ...overrides,
    limits: { ...defaultLimits, ...limits },
    reported,
  };
}
