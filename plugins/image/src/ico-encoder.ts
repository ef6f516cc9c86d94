/** The largest side an icon entry can have. */
export const maxIconSide = 256;
/** Smaller entries written next to the full-size one, for the sizes desktops and browsers ask for most. */
export const smallIconSides = [16, 32, 48] as const;

export interface IconPng {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * The boxes an icon's entries are fitted into, keeping the image's aspect: the image itself
 * scaled down to fit 256×256 (never enlarged), then each smaller standard size below it.
 *
 * @example iconBoxes(64, 48) // [64, 48, 32, 16]: 64×48, then 48×36, 32×24, 16×12
 */
export function iconBoxes(width: number, height: number): number[] {
  const largest = Math.min(maxIconSide, Math.max(width, height));
  return [largest, ...smallIconSides.filter((side) => side < largest).reverse()];
}

/** Writes PNG-compressed entries (Windows Vista and later, and every browser, read them) into an icon file. */
export function encodeIco(entries: readonly IconPng[]): Buffer {
  const header = Buffer.alloc(6 + entries.length * 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // an icon, not a cursor
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach((entry, index) => {
    const at = 6 + index * 16;
    // A side of 256 is stored as 0: the field is one byte.
    header[at] = entry.width >= maxIconSide ? 0 : entry.width;
    header[at + 1] = entry.height >= maxIconSide ? 0 : entry.height;
    header[at + 2] = 0; // no palette
    header[at + 3] = 0; // reserved
    header.writeUInt16LE(1, at + 4); // planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(entry.png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += entry.png.length;
  });
  return Buffer.concat([header, ...entries.map((entry) => entry.png)]);
}
