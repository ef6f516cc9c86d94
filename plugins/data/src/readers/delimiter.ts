import { delimiterCandidates } from '../options.js';

/** How many records of the sample the guess looks at. */
const sampledRecords = 20;

/**
 * Guesses a CSV's field separator among , ; | and tab from the start of its text: the one that
 * splits every sampled record into the same number of fields, the most fields winning; failing
 * that, the one most frequent in the first record; failing that, a comma. Quoted text is
 * skipped, so a comma inside "Smith, John" does not count.
 *
 * @example detectDelimiter('name;city\nAda;London\n') // ';'
 */
export function detectDelimiter(sample: string): string {
  const counts = recordCounts(sample);
  let best: { delimiter: string; fields: number } | undefined;
  for (const delimiter of delimiterCandidates) {
    const perRecord = counts.map((record) => record.get(delimiter) ?? 0);
    const first = perRecord[0] ?? 0;
    if (first > 0 && perRecord.every((count) => count === first) && (!best || first > best.fields)) best = { delimiter, fields: first };
  }
  if (best) return best.delimiter;
  const firstRecord = counts[0];
  let frequent: { delimiter: string; count: number } | undefined;
  for (const delimiter of delimiterCandidates) {
    const count = firstRecord?.get(delimiter) ?? 0;
    if (count > 0 && (!frequent || count > frequent.count)) frequent = { delimiter, count };
  }
  return frequent?.delimiter ?? ',';
}

/** Per complete record of the sample, how often each candidate occurs outside quotes. */
function recordCounts(sample: string): Map<string, number>[] {
  const records: Map<string, number>[] = [];
  let current = new Map<string, number>();
  let quoted = false;
  let empty = true;
  for (const character of sample) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '\n') {
      if (!empty) records.push(current);
      if (records.length >= sampledRecords) return records;
      current = new Map();
      empty = true;
      continue;
    } else if (!quoted && (delimiterCandidates as readonly string[]).includes(character)) {
      current.set(character, (current.get(character) ?? 0) + 1);
    }
    if (character !== '\r') empty = false;
  }
  // The last record may be cut off by the sample's end; it counts only when it is all there is.
  if (records.length === 0 && !empty) records.push(current);
  return records;
}
