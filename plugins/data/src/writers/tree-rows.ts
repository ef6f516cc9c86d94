import YAML from 'yaml';
import type { Sink } from '../output-file.js';
import type { Row } from '../table.js';
import { stringifyTomlTable, tomlDocumentOf } from '../trees.js';
import { xmlRow, xmlRowsEnd, xmlRowsStart } from '../xml-tree.js';
import type { TableWriter } from './table-writer.js';

/** The key rows are stored under in TOML, whose documents are tables: `[[rows]]`. */
export const tomlRowsKey = 'rows';

/**
 * A writer that frames the rows with an opening and a closing and writes each row on its
 * own, so that no format needs the whole table in memory. `empty` is the whole output for no rows.
 */
function framedWriter(frame: { start: string; row(row: Row, index: number): string; end: string; empty: string }): TableWriter {
  let sink: Sink;
  let count = 0;
  return {
    needsColumns: false,
    async begin(target) {
      sink = target;
    },
    async write(row) {
      await sink.write((count === 0 ? frame.start : '') + frame.row(row, count));
      count++;
    },
    async end() {
      await sink.write(count === 0 ? frame.empty : frame.end);
    },
  };
}

/** A JSON array of objects, one per line. */
export const jsonRowsWriter = (): TableWriter =>
  framedWriter({ start: '[\n', row: (row, index) => `${index === 0 ? '' : ',\n'}  ${JSON.stringify(row)}`, end: '\n]\n', empty: '[]\n' });

/** One JSON object per line. */
export const ndjsonRowsWriter = (): TableWriter => framedWriter({ start: '', row: (row) => `${JSON.stringify(row)}\n`, end: '', empty: '' });

/** A YAML sequence of mappings: each row stringified as a one-item sequence, which concatenate into one. */
export const yamlRowsWriter = (): TableWriter =>
  framedWriter({ start: '', row: (row) => YAML.stringify([row], { lineWidth: 0, aliasDuplicateObjects: false }), end: '', empty: '[]\n' });

/** `<rows><row><column>value</column>…</row>…</rows>`, element names made XML-safe. */
export const xmlRowsWriter = (): TableWriter => framedWriter({ start: xmlRowsStart, row: (row) => xmlRow(row), end: xmlRowsEnd, empty: `${xmlRowsStart}${xmlRowsEnd}` });

/**
 * An array of tables, `[[rows]]`, one per row: each is stringified on its own as a one-item
 * array, and TOML reads consecutive [[rows]] headers as one array. Null values are left out.
 */
export const tomlRowsWriter = (): TableWriter =>
  framedWriter({
    start: '',
    row: (row, index) => (index === 0 ? '' : '\n') + stringifyTomlTable({ [tomlRowsKey]: [tomlDocumentOf(row)] }),
    end: '',
    empty: `${tomlRowsKey} = []\n`,
  });
