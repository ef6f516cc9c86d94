/** Thrown for a blob key that is not a plain relative path, such as one that climbs out with `..`. */
export class InvalidBlobKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidBlobKeyError';
  }
}

/**
 * Checks that `key` is a relative path of plain segments (`org/<org>/<file_id>`), so that no
 * adapter can be steered outside its root or bucket prefix. Returns the segments.
 *
 * @example blobKeySegments('org/o1/f1') // → ['org', 'o1', 'f1']
 */
export function blobKeySegments(key: string): string[] {
  if (key.length === 0) throw new InvalidBlobKeyError(key, 'empty');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw new InvalidBlobKeyError(key, 'absolute');
  // A backslash is a separator on Windows, and a NUL truncates paths in native code.
  if (key.includes('\\') || key.includes('\0')) throw new InvalidBlobKeyError(key, 'contains a backslash or NUL');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw new InvalidBlobKeyError(key, `has a "${segment}" segment`);
  }
  return segments;
}
