import { stringify } from 'csv-stringify/sync';
import type { Sink } from '../output-file.js';
import { scalarCell, type Row } from '../table.js';
import type { TableWriter } from './table-writer.js';

/**
 * CSV or TSV with a header row (unless the columns were made up), fields quoted only where
 * they hold the delimiter, a quote or a line break. Every value is written as text: numbers as
 * JavaScript prints them, booleans as true/false, null as an empty field.
 */
export function delimitedWriter(delimiter: string): TableWriter {
  let sink: Sink;
  let columns: string[] = [];
  let rowNumber = 0;
  const line = (fields: string[]) => stringify([fields], { delimiter, record_delimiter: 'unix', eof: true });
  return {
    needsColumns: true,
    async begin(target, names, namedColumns) {
      sink = target;
      columns = names ?? [];
      if (namedColumns && columns.length > 0) await sink.write(line(columns));
    },
    async write(row: Row) {
      rowNumber++;
      await sink.write(line(columns.map((column) => fieldText(scalarCell(row[column], rowNumber, column)))));
    },
    async end() {},
  };
}

function fieldText(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}
