import { PluginError } from '@conveyor/contracts';

/** One record: column name → a JSON-compatible value. */
export type Row = Record<string, unknown>;

/** What a reader needs from the conversion besides the file: where it stands, and when to stop. */
export interface ReadContext {
  signal: AbortSignal;
  /** How far the reading has got, from 0 to 1; the conversion turns it into progress reports. */
  onProgress(fraction: number): void;
}

/** A source of rows, read once. */
export interface Table {
  /**
   * The column names, in order. A source that learns them only by reading every row (NDJSON)
   * does so here, in a first pass: call it only for a target that needs them up front.
   */
  columns(): Promise<string[]>;
  /** False when the names were made up (column_1, …) because the input had no header row. */
  readonly namedColumns: boolean;
  rows(): AsyncIterable<Row>;
}

/** The name of the n-th (0-based) column of an input without a header row. */
export function generatedColumnName(index: number): string {
  return `column_${index + 1}`;
}

/**
 * Column names from a header row: empty cells get a generated name and repeated names a
 * suffix (`name_2`), so that every column keeps its own key.
 */
export function columnNamesFromHeader(cells: readonly unknown[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, index) => {
    const base = cell === null || cell === undefined || String(cell) === '' ? generatedColumnName(index) : String(cell);
    let name = base;
    for (let suffix = 2; seen.has(name); suffix++) name = `${base}_${suffix}`;
    seen.add(name);
    return name;
  });
}

/** The union of the rows' keys, in the order they first appear. */
export function columnsOfRows(rows: Iterable<Row>): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What kind of JSON value this is, in words for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value a table cell can hold: a string, number, boolean or null. Anything nested cannot. */
export type Scalar = string | number | boolean | null;

export function scalarCell(value: unknown, rowNumber: number, column: string): Scalar {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new PluginError(
    'invalid_input',
    `record ${rowNumber}, field "${column}" holds ${describeValue(value)}: only an array of flat records (string, number, boolean or null values) can become a table`,
  );
}
