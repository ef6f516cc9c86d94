/**
 * A `Content-Disposition: attachment` value (RFC 6266) that is safe for any stored file name: an
 * ASCII `filename` for old clients (quotes, backslashes, `%`, control and non-ASCII characters
 * replaced) and the exact name as RFC 8187 `filename*`, which clients that read it prefer.
 *
 * @example attachmentDisposition('résumé "v2".pdf')
 * // attachment; filename="r_sum_ _v2_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf
 */
export function attachmentDisposition(fileName: string): string {
  const baseName = wellFormed(fileName).split(/[\\/]/).pop() || 'download';
  const asciiName = baseName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeRfc5987(baseName)}`;
}

/** encodeURIComponent leaves `'()*` alone, but RFC 5987 `attr-char` does not allow them. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A name set through JSON may hold a lone UTF-16 surrogate, which has no UTF-8 form and makes
 * encodeURIComponent throw: it becomes U+FFFD, as a UTF-8 decoder would make it.
 */
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
