import { PluginError, type JsonSchema } from '@conveyor/contracts';
import type { DataFormatId } from './formats.js';

/** The field separators tried, in this order of preference, when a CSV's delimiter is not given. */
export const delimiterCandidates = [',', ';', '|', '\t'] as const;

export interface DataOptions {
  /** CSV field separator (of the input when converting from CSV, of the output when converting to it); auto-detected on input when absent. */
  delimiter?: string;
  /** The first row of a CSV, TSV or xlsx input names the columns; false: columns are named column_1, column_2, … */
  header: boolean;
  /** xlsx input: the worksheet, by name or 1-based position. */
  sheet?: string | number;
  /** CSV/TSV input: turn numeric text into numbers, true/false into booleans and empty fields into null. */
  inferTypes: boolean;
  /** Text input: its character encoding, when detection should not guess. */
  encoding?: string;
}

const delimiterSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 1,
  description: 'Field separator of the CSV side; on input it is detected among , ; | and tab when left out. Output default: ",".',
};
const headerSchema = {
  type: 'boolean',
  default: true,
  description: 'Whether the first row names the columns. When false, rows are keyed column_1, column_2, … and no header row is written to CSV, TSV or xlsx.',
};
const sheetSchema = {
  oneOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 1 }],
  description: 'Worksheet to read: its name or its 1-based position. Default: the first.',
};
const inferTypesSchema = {
  type: 'boolean',
  default: false,
  description: 'Read numbers, true/false and empty fields of CSV/TSV as numbers, booleans and null. Off: every value stays the text it was.',
};
const encodingSchema = {
  type: 'string',
  description: 'Character encoding of the input (utf-8, windows-1252, utf-16le, …). Default: detected from the byte-order mark or the content.',
};

/** The options a conversion accepts: each applies to one side, so which ones depends on the pair. */
export function dataOptionsSchema(from: DataFormatId, to: DataFormatId): JsonSchema {
  const properties: Record<string, unknown> = {};
  if (from === 'csv' || to === 'csv') properties.delimiter = delimiterSchema;
  if (from === 'csv' || from === 'tsv' || from === 'xlsx') properties.header = headerSchema;
  if (from === 'xlsx') properties.sheet = sheetSchema;
  if (from === 'csv' || from === 'tsv') properties.infer_types = inferTypesSchema;
  if (from !== 'xlsx') properties.encoding = encodingSchema;
  // Closed: the API refuses an option the pair does not name, so a misspelt one is an error, not ignored.
  return { type: 'object', additionalProperties: false, properties };
}

/**
 * Validates the options this plugin understands and returns them typed. Unknown keys are
 * ignored: checking a request against the published schema is the API's job.
 *
 * @example parseDataOptions({ delimiter: ';', header: false }) // → { delimiter: ';', header: false, inferTypes: false }
 */
export function parseDataOptions(options: Record<string, unknown>): DataOptions {
  const parsed: DataOptions = { header: booleanOption('header', options.header, true), inferTypes: booleanOption('infer_types', options.infer_types, false) };
  if (options.delimiter !== undefined) parsed.delimiter = delimiterOption(options.delimiter);
  if (options.sheet !== undefined) parsed.sheet = sheetOption(options.sheet);
  if (options.encoding !== undefined) parsed.encoding = encodingOption(options.encoding);
  return parsed;
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new PluginError('invalid_parameter', `${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function delimiterOption(value: unknown): string {
  // Quotes and line breaks would make every field ambiguous.
  if (typeof value !== 'string' || [...value].length !== 1 || /["\r\n]/.test(value)) {
    throw new PluginError('invalid_parameter', `delimiter must be a single character other than a quote or a line break, got ${JSON.stringify(value)}`);
  }
  return value;
}

function sheetOption(value: unknown): string | number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  if (typeof value === 'string' && value.length > 0) return value;
  throw new PluginError('invalid_parameter', `sheet must be a worksheet name or a 1-based position, got ${JSON.stringify(value)}`);
}

function encodingOption(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PluginError('invalid_parameter', `encoding must be an encoding name, got ${JSON.stringify(value)}`);
  return value.trim();
}
