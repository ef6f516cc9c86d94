/**
 * The strong entity tag of a file's content: its sha256, which changes exactly when the bytes do
 * (a metadata rewrite makes a new version with a new hash).
 */
export function contentEntityTag(sha256: string): string {
  return `"${sha256}"`;
}

function opaqueTags(header: string): string[] {
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
}

/**
 * True when `If-None-Match` names the current tag (or `*`): the client's copy is current. The
 * comparison is weak, as RFC 9110 §13.1.2 asks, so a `W/` prefix the client kept does not matter.
 */
export function matchesIfNoneMatch(header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false;
  return header.trim() === '*' || opaqueTags(header).includes(entityTag);
}

/**
 * True when a `Range` may be served under `If-Range` (RFC 9110 §13.1.5): when there is none, or it
 * names the current tag exactly. A date, or an old tag, asks for the whole file instead, since
 * the part the client holds may belong to other bytes.
 */
export function rangeStillApplies(header: string | undefined, entityTag: string): boolean {
  return header === undefined || header.trim() === entityTag;
}
