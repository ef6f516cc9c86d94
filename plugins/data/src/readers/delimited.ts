import { Readable } from 'node:stream';
import { PluginError } from '@conveyor/contracts';
import { CsvError, parse } from 'csv-parse';
import { throwIfCancelled } from '../cancellation.js';
import { RowBudget } from '../limits.js';
import type { DataOptions } from '../options.js';
import { columnNamesFromHeader, generatedColumnName, type ReadContext, type Row, type Table } from '../table.js';
import { openText } from '../text-input.js';
import { detectDelimiter } from './delimiter.js';

/** A record longer than this is refused: an unclosed quote would otherwise swallow the file into one field. */
const maxRecordBytes = 16 * 1024 * 1024;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a CSV or TSV file as rows. Values stay text unless `inferTypes` asks otherwise; a
 * record shorter than the header is padded with empty values, a longer one is refused (its
 * extra fields would have no column), unless the extra fields are all empty.
 */
export async function openDelimited(path: string, format: 'csv' | 'tsv', options: DataOptions, read: ReadContext): Promise<Table> {
  const name = format.toUpperCase();
  const text = await openText(path, options.encoding, `${name} file`);
  let consumed = 0;
  const chunks = text.chunks((bytes) => {
    consumed += bytes;
  });
  const first = await chunks.next();
  const firstText = first.done ? '' : first.value;
  const delimiter = format === 'tsv' ? '\t' : (options.delimiter ?? detectDelimiter(firstText));

  const parser = parse({
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: maxRecordBytes,
  });
  const source = Readable.from(
    (async function* () {
      if (firstText) yield firstText;
      yield* chunks;
    })(),
  );
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  const records: AsyncIterator<ParsedRecord> = parser[Symbol.asyncIterator]();
  const close = () => {
    source.destroy();
    parser.destroy();
  };

  /** The line the last complete record ended on: an unclosed quote opened after it. */
  let lastRecordLine = 0;
  const next = async (): Promise<ParsedRecord | undefined> => {
    try {
      const result = await records.next();
      if (result.done) return undefined;
      lastRecordLine = result.value.info.lines;
      return result.value;
    } catch (error) {
      close();
      throw describeCsvFailure(error, name, lastRecordLine);
    }
  };

  const head = await next();
  let columns: string[];
  let pending: ParsedRecord | undefined;
  if (head === undefined) columns = [];
  else if (options.header) columns = columnNamesFromHeader(head.record);
  else {
    columns = head.record.map((_, index) => generatedColumnName(index));
    pending = head;
  }

  const toValue = options.inferTypes ? inferValue : (text: string): unknown => text;
  const missing = options.inferTypes ? null : '';

  return {
    namedColumns: options.header,
    columns: async () => columns,
    async *rows(): AsyncGenerator<Row> {
      const budget = new RowBudget();
      try {
        for (let parsed = pending ?? (await next()); parsed !== undefined; parsed = await next()) {
          throwIfCancelled(read.signal);
          const { record, info } = parsed;
          if (record.length > columns.length && record.slice(columns.length).some((field) => field !== '')) {
            throw new PluginError(
              'invalid_input',
              `${name} error at line ${info.lines}: the record has ${record.length} fields, but the ${options.header ? 'header has' : 'first record has'} ${columns.length}`,
            );
          }
          budget.take(columns.length);
          const row: Row = {};
          columns.forEach((column, index) => {
            const field = record[index];
            row[column] = field === undefined ? missing : toValue(field);
          });
          read.onProgress(consumed / text.size);
          yield row;
        }
      } finally {
        close();
      }
    },
  };
}

function describeCsvFailure(error: unknown, name: string, lastRecordLine: number): unknown {
  if (error instanceof PluginError) return error;
  if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse notices at the end of the file; the quote opened in the record after the last complete one.
    return new PluginError('invalid_input', `${name} error at line ${lastRecordLine + 1}: a quoted field opened in the record starting on line ${lastRecordLine + 1} is never closed`);
  }
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const message = error.message.replace(/^[^:]*: /, '');
    return new PluginError('invalid_input', `${name} error${line === undefined ? '' : ` at line ${line}`}: ${message}`);
  }
  return error;
}

/** Whole-number text that is a plain decimal: "007" keeps its zeros as text, and so do numbers too long to keep exactly. */
const numberPattern = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * With `infer_types`: numbers, booleans and empty fields become JSON numbers, booleans and null.
 *
 * @example inferValue('42') // 42
 * @example inferValue('007') // '007'
 */
export function inferValue(text: string): unknown {
  if (text === '') return null;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (numberPattern.test(text)) {
    const number = Number(text);
    const integral = /^-?\d+$/.test(text);
    if (Number.isFinite(number) && (!integral || Number.isSafeInteger(number))) return number;
  }
  return text;
}
