/**
 * LibreOffice 7.4 (Debian's nogui build) aborts while loading an HTML document whose
 * `<meta name="created">` or `<meta name="changed">` holds something that is not a date, such
 * as the "00:00:00" LibreOffice itself writes for a document that never had one. Those tags
 * only carry document properties, so they are dropped from the copy LibreOffice reads.
 */
const undatedMeta = /<meta\s+name\s*=\s*["']?(?:created|changed)["']?\s+content\s*=\s*["']?(?!\d{4}-\d{2}-\d{2})[^"'>]*["']?\s*\/?>/gi;

export function withoutUndatedMeta(html: string): string {
  return html.replace(undatedMeta, '');
}
