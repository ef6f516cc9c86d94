import { PluginError } from '@conveyor/contracts';
import { throwIfCancelled } from '../cancellation.js';
import { RowBudget } from '../limits.js';
import type { DataOptions } from '../options.js';
import { describeValue, isPlainObject, type ReadContext, type Row, type Table } from '../table.js';
import { openText, type DecodedStream } from '../text-input.js';
import { jsonErrorWhere, jsonProblem } from '../trees.js';

/** A line longer than this is refused rather than buffered without end. */
const maxLineLength = 64 * 1024 * 1024;

/**
 * Streams an NDJSON (JSON Lines) file: one JSON object per line, blank lines skipped. Its
 * columns are known only once every line is read, so a target that needs them first (CSV, TSV,
 * xlsx) makes it read the file twice rather than hold it.
 */
export async function openNdjson(path: string, options: DataOptions, read: ReadContext): Promise<Table> {
  const text = await openText(path, options.encoding, 'NDJSON file');
  let passes = 1;
  let pass = 0;
  const onFraction = (fraction: number) => read.onProgress((pass - 1 + fraction) / passes);

  return {
    namedColumns: true,
    async columns() {
      passes = 2;
      const columns = new Set<string>();
      for await (const row of readRows(text, read, onFraction, () => pass++)) for (const key of Object.keys(row)) columns.add(key);
      return [...columns];
    },
    rows: () => readRows(text, read, onFraction, () => pass++),
  };
}

async function* readRows(text: DecodedStream, read: ReadContext, onFraction: (fraction: number) => void, startPass: () => void): AsyncGenerator<Row> {
  startPass();
  const budget = new RowBudget();
  let consumed = 0;
  let lineNumber = 0;
  let partial = '';
  const rowOf = (line: string): Row | undefined => {
    lineNumber++;
    if (line.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const column = jsonErrorWhere(line).replace(/^ at line \d+, /, ', ');
      throw new PluginError('invalid_input', `NDJSON error at line ${lineNumber}${column}: ${jsonProblem(error)}`);
    }
    if (!isPlainObject(value)) throw new PluginError('invalid_input', `NDJSON line ${lineNumber} holds ${describeValue(value)}, not an object: each line must be one record`);
    budget.take(Object.keys(value).length);
    return value;
  };
  for await (const chunk of text.chunks((bytes) => (consumed += bytes))) {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    if (partial.length > maxLineLength) throw new PluginError('limit_exceeded', `NDJSON line ${lineNumber + 1} is longer than ${maxLineLength} characters`);
    for (const line of lines) {
      throwIfCancelled(read.signal);
      const row = rowOf(line);
      if (row) yield row;
    }
    onFraction(consumed / text.size);
  }
  const last = rowOf(partial);
  if (last) yield last;
}
