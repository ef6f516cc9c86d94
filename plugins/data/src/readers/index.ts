import type { ConversionLimits } from '@conveyor/contracts';
import { isRowFormat, type DataFormatId } from '../formats.js';
import type { DataOptions } from '../options.js';
import type { ReadContext, Table } from '../table.js';
import { openDelimited } from './delimited.js';
import { openNdjson } from './ndjson.js';
import { readTree, recordsOfTree, recordsTable } from './tree.js';
import { openXlsx } from './xlsx.js';

/** The input as rows: streamed for CSV, TSV and NDJSON, loaded for xlsx, taken from the tree for the others. */
export async function openTable(format: DataFormatId, path: string, options: DataOptions, limits: ConversionLimits, read: ReadContext): Promise<Table> {
  if (!isRowFormat(format)) return recordsTable(recordsOfTree(await readTree(format, path, options, limits), format), read);
  switch (format) {
    case 'csv':
    case 'tsv':
      return openDelimited(path, format, options, read);
    case 'ndjson':
      return openNdjson(path, options, read);
    case 'xlsx':
      return openXlsx(path, options, limits, read);
  }
}

export { readTree } from './tree.js';
