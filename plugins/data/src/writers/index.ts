import type { DataFormatId } from '../formats.js';
import type { DataOptions } from '../options.js';
import { delimitedWriter } from './delimited.js';
import type { TableWriter } from './table-writer.js';
import { jsonRowsWriter, ndjsonRowsWriter, tomlRowsWriter, xmlRowsWriter, yamlRowsWriter } from './tree-rows.js';
import { xlsxWriter } from './xlsx.js';

export function tableWriterFor(format: DataFormatId, options: DataOptions): TableWriter {
  switch (format) {
    case 'csv':
      return delimitedWriter(options.delimiter ?? ',');
    case 'tsv':
      return delimitedWriter('\t');
    case 'json':
      return jsonRowsWriter();
    case 'ndjson':
      return ndjsonRowsWriter();
    case 'xlsx':
      return xlsxWriter();
    case 'yaml':
      return yamlRowsWriter();
    case 'xml':
      return xmlRowsWriter();
    case 'toml':
      return tomlRowsWriter();
  }
}

export type { TableWriter } from './table-writer.js';
