/**
 * Decoders for the two text encodings a PDF stream may wrap around its compressed data, so
 * that the compressed data underneath can be inflated and counted without MuPDF decoding it
 * whole. Both shrink their input, so they cannot be used to blow a stream up.
 */

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

/** ASCIIHexDecode: pairs of hex digits up to `>`; an odd final digit stands for digit0. */
export function decodeAsciiHex(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 2));
  let length = 0;
  let high: number | undefined;
  for (const byte of data) {
    if (byte === 0x3e) break;
    if (isWhitespace(byte)) continue;
    const digit = Number.parseInt(String.fromCharCode(byte), 16);
    if (Number.isNaN(digit)) break;
    if (high === undefined) high = digit;
    else {
      out[length++] = (high << 4) | digit;
      high = undefined;
    }
  }
  if (high !== undefined) out[length++] = high << 4;
  return out.subarray(0, length);
}

/** ASCII85Decode: groups of five base-85 digits make four bytes; `z` is four zeros; `~>` ends. */
export function decodeAscii85(data: Uint8Array): Uint8Array {
  // At most four bytes per input character (a `z`), so this is always long enough.
  const out = new Uint8Array(4 * data.length);
  let length = 0;
  let group: number[] = [];
  const flush = (digits: number[]) => {
    const count = digits.length;
    while (digits.length < 5) digits.push(84);
    let value = 0;
    for (const digit of digits) value = value * 85 + digit;
    for (let index = 0; index < count - 1; index++) out[length++] = (value >>> (24 - 8 * index)) & 0xff;
  };
  for (const byte of data) {
    if (byte === 0x7e) break;
    if (isWhitespace(byte)) continue;
    if (byte === 0x7a && group.length === 0) {
      length += 4;
      continue;
    }
    if (byte < 0x21 || byte > 0x75) break;
    group.push(byte - 0x21);
    if (group.length === 5) {
      flush(group);
      group = [];
    }
  }
  if (group.length > 1) flush(group);
  return out.subarray(0, length);
}
