import { PluginError, type ConversionLimits } from '@conveyor/contracts';
import { throwIfCancelled } from '../cancellation.js';
import { formatName, type TreeFormatId } from '../formats.js';
import { RowBudget } from '../limits.js';
import type { DataOptions } from '../options.js';
import { columnsOfRows, describeValue, isPlainObject, type ReadContext, type Row, type Table } from '../table.js';
import { readWholeText } from '../text-input.js';
import { parseTree } from '../trees.js';
import { attributePrefix } from '../xml-tree.js';

/** Reads and parses a whole JSON, YAML, XML or TOML file, within limits.maxDecompressedBytes. */
export async function readTree(format: TreeFormatId, path: string, options: DataOptions, limits: ConversionLimits): Promise<unknown> {
  const text = await readWholeText(path, options.encoding, limits.maxDecompressedBytes, `${formatName(format)} file`);
  return parseTree(format, text);
}

/**
 * The records a tree holds, if it holds a table: an array of objects, or such an array as the
 * only entry of the root (TOML `rows = [...]`, JSON `{"rows": [...]}`), or for XML the
 * repeated elements inside the document element (`<rows><row>…</row></rows>`).
 */
export function recordsOfTree(tree: unknown, format: TreeFormatId): Row[] {
  let candidate = tree;
  if (isPlainObject(candidate)) {
    const keys = Object.keys(candidate);
    if (keys.length === 1) candidate = candidate[keys[0]!];
    if (format === 'xml' && keys.length === 1) candidate = xmlRecords(candidate);
  }
  if (!Array.isArray(candidate)) {
    throw new PluginError(
      'invalid_input',
      `only an array of flat records can become a table, and this ${formatName(format)} holds ${describeValue(candidate)}${isPlainObject(candidate) ? ` with keys ${Object.keys(candidate).slice(0, 5).join(', ')}` : ''}`,
    );
  }
  candidate.forEach((item, index) => {
    if (!isPlainObject(item)) {
      throw new PluginError('invalid_input', `only an array of flat records can become a table, and item ${index + 1} of the array is ${describeValue(item)}, not a record`);
    }
  });
  return candidate as Row[];
}

/** The children of an XML document element, when they are all one repeated element (attributes aside). */
function xmlRecords(documentElement: unknown): unknown {
  if (documentElement === '') return [];
  if (!isPlainObject(documentElement)) return documentElement;
  const children = Object.keys(documentElement).filter((key) => !key.startsWith(attributePrefix));
  if (children.length !== 1) return documentElement;
  const records = documentElement[children[0]!];
  return isPlainObject(records) ? [records] : records;
}

/** A table over records already in memory; its columns are every key, in first-seen order. */
export function recordsTable(records: Row[], read: ReadContext): Table {
  return {
    namedColumns: true,
    columns: async () => columnsOfRows(records),
    async *rows() {
      const budget = new RowBudget();
      for (const [index, record] of records.entries()) {
        throwIfCancelled(read.signal);
        budget.take(Object.keys(record).length);
        yield record;
        read.onProgress((index + 1) / records.length);
      }
    },
  };
}
