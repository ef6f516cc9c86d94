import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLimits } from '../../../test/plugin-conformance/index.js';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import YAML from 'yaml';
import { PluginError, type ConvertContext } from '@conveyor/contracts';
import { dataPlugin } from '../src/index.js';

/**
 * The table every sample holds. Formats with types keep `id` a number and `active` a boolean;
 * CSV, TSV and XML hold only text, so there the same values are "1" and "true".
 */
export const typedRecords = [
  { id: 1, name: 'Ada Lovelace', city: 'London', active: true },
  { id: 2, name: 'Grace Hopper', city: 'New York, NY', active: false },
  { id: 3, name: 'Émilie "the marquise" du Châtelet', city: 'Paris', active: true },
];

export type Record_ = Record<string, unknown>;

export const textOnlyFormats = new Set(['csv', 'tsv', 'xml']);

/** The records a conversion from `from` to `to` must yield: typed only if both sides keep types. */
export function expectedRecords(from: string, to: string): Record_[] {
  const typed = !textOnlyFormats.has(from) && !textOnlyFormats.has(to);
  return typedRecords.map((record) => (typed ? { ...record } : Object.fromEntries(Object.entries(record).map(([key, value]) => [key, String(value)]))));
}

function csvField(value: unknown, delimiter: string): string {
  const text = String(value);
  return /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function delimitedText(records: Record_[], delimiter: string): string {
  const columns = Object.keys(records[0]!);
  return [columns.join(delimiter), ...records.map((record) => columns.map((column) => csvField(record[column], delimiter)).join(delimiter))].join('\r\n') + '\r\n';
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function xlsxBytes(sheets: { name: string; rows: unknown[][] }[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) workbook.addWorksheet(sheet.name).addRows(sheet.rows);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A sample of each format holding `typedRecords`, made with the libraries directly, not with the plugin. */
export const samples: Record<string, () => Promise<Uint8Array>> = {
  csv: async () => Buffer.from(delimitedText(typedRecords, ',')),
  tsv: async () => Buffer.from(delimitedText(typedRecords, '\t')),
  json: async () => Buffer.from(JSON.stringify(typedRecords, null, 2)),
  ndjson: async () => Buffer.from(typedRecords.map((record) => JSON.stringify(record)).join('\n') + '\n'),
  yaml: async () => Buffer.from(YAML.stringify(typedRecords)),
  toml: async () => Buffer.from(stringifyToml({ rows: typedRecords })),
  xml: async () =>
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<people>\n${typedRecords
        .map((record) => `  <person>${Object.entries(record).map(([key, value]) => `<${key}>${xmlEscape(String(value))}</${key}>`).join('')}</person>\n`)
        .join('')}</people>\n`,
    ),
  xlsx: async () => xlsxBytes([{ name: 'People', rows: [Object.keys(typedRecords[0]!), ...typedRecords.map((record) => Object.values(record))] }]),
};

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, ignoreDeclaration: true });

/** Reads an xlsx's first sheet back with exceljs: the header row's cells name the columns. */
export async function xlsxRecords(bytes: Uint8Array): Promise<Record_[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const records: Record_[] = [];
  for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber++) {
    const row = sheet.getRow(rowNumber);
    records.push(Object.fromEntries(header.map((column, index) => [column, row.getCell(index + 1).value ?? null])));
  }
  return records;
}

/** Decodes an output with an independent parser, to the tree or table it holds. */
export async function decodeOutput(format: string, bytes: Uint8Array): Promise<unknown> {
  const text = Buffer.from(bytes).toString('utf8');
  switch (format) {
    case 'csv':
      return parseCsv(text, { columns: true });
    case 'tsv':
      return parseCsv(text, { columns: true, delimiter: '\t' });
    case 'json':
      return JSON.parse(text);
    case 'ndjson':
      return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
    case 'yaml':
      return YAML.parse(text);
    case 'xml':
      return xmlParser.parse(text);
    case 'toml':
      return parseToml(text);
    case 'xlsx':
      return xlsxRecords(bytes);
    default:
      throw new Error(`no decoder for ${format}`);
  }
}

/**
 * The records in a decoded tree, whatever wrapping its format needed: an array; an array as
 * the only entry of a table (TOML `rows = [...]`, `items = [...]`); for XML, the repeated
 * element inside the document element.
 */
export function recordsIn(tree: unknown): unknown {
  let value = tree;
  for (let depth = 0; depth < 2 && !Array.isArray(value); depth++) {
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1) return value;
    value = (value as Record<string, unknown>)[keys[0]!];
  }
  return value;
}

const workDirs: string[] = [];

export async function makeWorkDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-data-test-'));
  workDirs.push(dir);
  return dir;
}

export async function removeWorkDirs(): Promise<void> {
  await Promise.all(workDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface ConversionResult {
  bytes: Uint8Array;
  text: string;
  progress: number[];
}

/** Runs the plugin on `input` as the worker would, returning the output. */
export async function convert(from: string, to: string, input: Uint8Array | string, options: Record<string, unknown> = {}, overrides: Partial<ConvertContext> = {}): Promise<ConversionResult> {
  const dir = await makeWorkDir();
  const inputPath = join(dir, `input.${from}`);
  const outputPath = join(dir, `output.${to}`);
  await writeFile(inputPath, input);
  const progress: number[] = [];
  const quiet = () => undefined;
  await dataPlugin.convert({
    inputPath,
    outputPath,
    from,
    to,
    options,
    signal: new AbortController().signal,
    progress: (percent) => progress.push(percent),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    limits: defaultLimits,
    ...overrides,
  });
  const bytes = await readFile(outputPath);
  return { bytes, text: bytes.toString('utf8'), progress };
}

/** The PluginError a conversion fails with (the test fails if it succeeds or throws anything else). */
export async function conversionError(from: string, to: string, input: Uint8Array | string, options: Record<string, unknown> = {}, overrides: Partial<ConvertContext> = {}): Promise<PluginError> {
  try {
    await convert(from, to, input, options, overrides);
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw new Error(`expected a PluginError, got ${String(error)}`);
  }
  throw new Error(`expected ${from} → ${to} to fail, and it succeeded`);
}
