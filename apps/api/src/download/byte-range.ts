/**
 * What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14):
 * `whole` when there is no usable range (absent, malformed, another unit, or several ranges,
 * which this server declines to serve as multipart), `partial` for one satisfiable range (its
 * `end` inclusive, clipped to the last byte), and `unsatisfiable` when the range lies past the end.
 */
export type RequestedRange = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const singleByteRange = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/**
 * @example
 * requestedRange('bytes=0-99', 1000)  // { kind: 'partial', start: 0, end: 99 }
 * requestedRange('bytes=-100', 1000)  // { kind: 'partial', start: 900, end: 999 }
 * requestedRange('bytes=1000-', 1000) // { kind: 'unsatisfiable' }
 * requestedRange('bytes=0-1,5-9', 10) // { kind: 'whole' }
 */
export function requestedRange(header: string | undefined, size: number): RequestedRange {
  const match = header === undefined ? null : singleByteRange.exec(header);
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') return suffixRange(Number(last), size);
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  // A last position before the first makes the header invalid, which the RFC says to ignore.
  if (end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/** The last `length` bytes, or all of them when there are fewer; none at all cannot be satisfied. */
function suffixRange(length: number, size: number): RequestedRange {
  if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
}
