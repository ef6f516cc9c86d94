import { isDataFormatId } from './formats.js';
import { MemorySink } from './output-file.js';
import type { Row } from './table.js';
import { tableWriterFor } from './writers/index.js';
import { parseDataOptions } from './options.js';

/** The example table every template shows: a few typed columns, one value needing quotes in CSV. */
export const templateRows: Row[] = [
  { id: 1, name: 'Ada Lovelace', city: 'London', active: true },
  { id: 2, name: 'Grace Hopper', city: 'New York, NY', active: false },
  { id: 3, name: 'Émilie du Châtelet', city: 'Paris', active: true },
];

/** A small table written as `format`, or undefined for a format this plugin does not make. */
export async function makeDataTemplate(format: string): Promise<Uint8Array | undefined> {
  if (!isDataFormatId(format)) return undefined;
  const sink = new MemorySink();
  const writer = tableWriterFor(format, parseDataOptions({}));
  await writer.begin(sink, Object.keys(templateRows[0]!), true);
  for (const row of templateRows) await writer.write(row);
  await writer.end();
  return sink.bytes();
}
