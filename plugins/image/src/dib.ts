import { PluginError } from '@conveyor/contracts';
import { checkPixelLimit, invalidInput } from './limits.js';
import { withoutOpaqueAlpha, type RawImage } from './raw-image.js';

/**
 * Decodes a device-independent bitmap: the pixels of a BMP file, and of an icon entry that is
 * not a PNG. libvips has no BMP loader, so this is done here: BITMAPCOREHEADER and
 * BITMAPINFOHEADER up to V5; 1, 4 and 8-bit palettes, 16, 24 and 32-bit colour; uncompressed,
 * RLE8, RLE4 and bit fields; bottom-up and top-down rows.
 */

const compression = { rgb: 0, rle8: 1, rle4: 2, bitfields: 3, jpeg: 4, png: 5, alphaBitfields: 6 } as const;

/** Header sizes: core (OS/2 1.x), info, info + RGB masks, info + RGBA masks, V4, V5. */
const infoHeaderSizes = new Set([40, 52, 56, 108, 124]);
const coreHeaderSize = 12;

interface ChannelMasks {
  red: number;
  green: number;
  blue: number;
  alpha: number;
}

interface DibHeader {
  width: number;
  /** Rows of the colour bitmap; an icon's header counts its AND mask's rows too, this does not. */
  rows: number;
  topDown: boolean;
  bitCount: number;
  compression: number;
  colorsUsed: number;
  masks: ChannelMasks | undefined;
  /** Where the palette (or nothing, above 8 bits) starts: after the header and any masks that follow it. */
  paletteOffset: number;
  paletteEntrySize: 3 | 4;
}

export interface DibSource {
  /** Which file the bitmap is in: an icon's bitmap has a doubled height, an AND mask and its pixels right after the palette. */
  container: 'bmp' | 'ico';
  /** Where the header starts. */
  headerOffset: number;
  /** Where the pixels start, for a BMP file (its file header says); an icon's follow the palette. */
  pixelOffset?: number;
  /** Where the bitmap's bytes end (the file's end, or the icon entry's). */
  end: number;
}

/** The bitmap's width and colour rows, from its header alone (to check a limit before decoding). */
export function dibDimensions(bytes: Buffer, source: DibSource): { width: number; height: number } {
  const header = readHeader(bytes, source);
  return { width: header.width, height: header.rows };
}

/** Decodes the bitmap at `source`, refusing it before allocating anything when it has more than `maxPixels`. */
export function decodeDib(bytes: Buffer, source: DibSource, maxPixels: number): RawImage {
  const header = readHeader(bytes, source);
  checkPixelLimit(header.width, header.rows, maxPixels, source.container);
  const format = source.container;
  const paletteSize = header.bitCount <= 8 ? Math.min(header.colorsUsed || 1 << header.bitCount, 1 << header.bitCount) : 0;
  const palette = readPalette(bytes, header, paletteSize, source);
  const pixelOffset = source.pixelOffset ?? header.paletteOffset + paletteSize * header.paletteEntrySize;
  if (pixelOffset > source.end) throw invalidInput(format, 'the pixel data starts past the end of the file');

  const out = Buffer.alloc(header.width * header.rows * 4);
  const image: RawImage = { data: out, width: header.width, height: header.rows, channels: 4 };
  if (header.compression === compression.rle8 || header.compression === compression.rle4) {
    decodeRle(bytes, pixelOffset, source.end, header, palette, out, format);
    // Pixels the run lengths skipped stay transparent; an image they all cover is opaque.
    return withoutOpaqueAlpha(image);
  }
  const stride = Math.floor((header.bitCount * header.width + 31) / 32) * 4;
  if (pixelOffset + stride * header.rows > source.end) throw invalidInput(format, 'the pixel data is cut short');
  const alpha = decodeUncompressed(bytes, pixelOffset, stride, header, palette, out, format);
  if (alpha === 'none' || alpha === 'all-zero') {
    // A 32-bit bitmap whose alpha is zero everywhere was written by a tool that left it unset.
    for (let offset = 3; offset < out.length; offset += 4) out[offset] = 255;
  }
  if (format === 'ico' && (header.bitCount < 32 || alpha === 'all-zero')) {
    applyAndMask(bytes, pixelOffset + stride * header.rows, source.end, header, out);
  }
  return withoutOpaqueAlpha(image);
}

function readHeader(bytes: Buffer, source: DibSource): DibHeader {
  const at = source.headerOffset;
  const format = source.container;
  if (at + 4 > source.end) throw invalidInput(format, 'the bitmap header is cut short');
  const size = bytes.readUInt32LE(at);
  if (size !== coreHeaderSize && !infoHeaderSizes.has(size)) {
    throw invalidInput(format, `its bitmap header has an unknown size (${size} bytes; OS/2 2.x bitmaps are not supported)`);
  }
  if (at + size > source.end) throw invalidInput(format, 'the bitmap header is cut short');

  let header: DibHeader;
  if (size === coreHeaderSize) {
    header = {
      width: bytes.readUInt16LE(at + 4),
      rows: bytes.readUInt16LE(at + 6),
      topDown: false,
      bitCount: bytes.readUInt16LE(at + 10),
      compression: compression.rgb,
      colorsUsed: 0,
      masks: undefined,
      paletteOffset: at + size,
      paletteEntrySize: 3,
    };
  } else {
    const storedHeight = bytes.readInt32LE(at + 8);
    const kind = bytes.readUInt32LE(at + 16);
    const bitCount = bytes.readUInt16LE(at + 14);
    const hasMasks = kind === compression.bitfields || kind === compression.alphaBitfields;
    // A plain info header is followed by its masks; larger headers hold them at the same place.
    const maskCount = kind === compression.alphaBitfields ? 4 : 3;
    const masksAfterHeader = hasMasks && size === 40 ? maskCount * 4 : 0;
    if (at + size + masksAfterHeader > source.end) throw invalidInput(format, 'the colour masks are cut short');
    header = {
      width: bytes.readInt32LE(at + 4),
      rows: Math.abs(storedHeight),
      topDown: storedHeight < 0,
      bitCount,
      compression: kind,
      colorsUsed: bytes.readUInt32LE(at + 32),
      masks: hasMasks
        ? {
            red: bytes.readUInt32LE(at + 40),
            green: bytes.readUInt32LE(at + 44),
            blue: bytes.readUInt32LE(at + 48),
            alpha: size >= 56 || maskCount === 4 ? bytes.readUInt32LE(at + 52) : 0,
          }
        : undefined,
      paletteOffset: at + size + masksAfterHeader,
      paletteEntrySize: 4,
    };
  }
  // An icon's header counts the AND mask's rows along with the colour rows.
  if (format === 'ico') header.rows = Math.floor(header.rows / 2);
  checkHeader(header, format);
  return header;
}

function checkHeader(header: DibHeader, format: 'bmp' | 'ico'): void {
  if (header.width <= 0 || header.rows <= 0) throw invalidInput(format, `its size ${header.width}×${header.rows} is not a valid image size`);
  if (![1, 4, 8, 16, 24, 32].includes(header.bitCount)) throw invalidInput(format, `${header.bitCount} bits per pixel is not a BMP colour depth`);
  switch (header.compression) {
    case compression.rgb:
      return;
    case compression.rle8:
    case compression.rle4: {
      const bits = header.compression === compression.rle8 ? 8 : 4;
      if (header.bitCount !== bits) throw invalidInput(format, `RLE${bits} compression needs ${bits} bits per pixel, not ${header.bitCount}`);
      if (header.topDown) throw invalidInput(format, 'a run-length compressed bitmap cannot be stored top-down');
      return;
    }
    case compression.bitfields:
    case compression.alphaBitfields:
      if (header.bitCount !== 16 && header.bitCount !== 32) throw invalidInput(format, `bit-field colour needs 16 or 32 bits per pixel, not ${header.bitCount}`);
      return;
    case compression.jpeg:
    case compression.png:
      throw new PluginError('invalid_input', `BMP files holding a ${header.compression === compression.jpeg ? 'JPEG' : 'PNG'} image are not supported`);
    default:
      throw new PluginError('invalid_input', `BMP compression type ${header.compression} is not supported`);
  }
}

type Palette = Uint8Array[];

function readPalette(bytes: Buffer, header: DibHeader, size: number, source: DibSource): Palette {
  const end = header.paletteOffset + size * header.paletteEntrySize;
  if (end > source.end) throw invalidInput(source.container, 'the colour palette is cut short');
  const palette: Palette = [];
  for (let entry = header.paletteOffset; entry < end; entry += header.paletteEntrySize) {
    // Stored blue, green, red (and a reserved byte).
    palette.push(Uint8Array.of(bytes[entry + 2]!, bytes[entry + 1]!, bytes[entry]!));
  }
  return palette;
}

const black = Uint8Array.of(0, 0, 0);

function putColour(out: Buffer, pixel: number, colour: Uint8Array): void {
  const offset = pixel * 4;
  out[offset] = colour[0]!;
  out[offset + 1] = colour[1]!;
  out[offset + 2] = colour[2]!;
  out[offset + 3] = 255;
}

/**
 * Reads one channel out of a packed pixel by its mask, scaled to 0–255 the way other decoders
 * do it: narrow fields by repeating their bits (5-bit 10110 → 10110101), wide ones by dropping
 * their low bits. A zero mask reads as undefined.
 */
function channelReader(mask: number): ((pixel: number) => number) | undefined {
  if (mask === 0) return undefined;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  const bits = 32 - Math.clz32(max);
  if (bits >= 8) return (pixel) => ((pixel & mask) >>> shift) >>> (bits - 8);
  const table = new Uint8Array(max + 1);
  for (let value = 0; value <= max; value++) {
    let scaled = 0;
    for (let filled = 0; filled < 8; filled += bits) scaled |= filled + bits <= 8 ? value << (8 - bits - filled) : value >>> (filled + bits - 8);
    table[value] = scaled;
  }
  return (pixel) => table[(pixel & mask) >>> shift]!;
}

/** What the alpha channel turned out to hold: no alpha at all, alpha zero everywhere (unset), or real alpha. */
type AlphaOutcome = 'none' | 'all-zero' | 'present';

function decodeUncompressed(bytes: Buffer, pixelOffset: number, stride: number, header: DibHeader, palette: Palette, out: Buffer, format: 'bmp' | 'ico'): AlphaOutcome {
  const { width, rows, bitCount } = header;
  // 16-bit without masks is 5-5-5; 32-bit without masks is 8-8-8 with an alpha byte only icons use.
  const masks =
    header.masks ??
    (bitCount === 16
      ? { red: 0x7c00, green: 0x03e0, blue: 0x001f, alpha: 0 }
      : { red: 0x00ff0000, green: 0x0000ff00, blue: 0x000000ff, alpha: format === 'ico' && bitCount === 32 ? 0xff000000 : 0 });
  const red = channelReader(masks.red);
  const green = channelReader(masks.green);
  const blue = channelReader(masks.blue);
  const alpha = channelReader(masks.alpha);
  let anyAlpha = false;

  for (let row = 0; row < rows; row++) {
    const source = pixelOffset + row * stride;
    const first = (header.topDown ? row : rows - 1 - row) * width;
    for (let x = 0; x < width; x++) {
      const pixel = first + x;
      if (bitCount <= 8) {
        const bitOffset = x * bitCount;
        const byte = bytes[source + (bitOffset >> 3)]!;
        const index = (byte >> (8 - bitCount - (bitOffset & 7))) & ((1 << bitCount) - 1);
        putColour(out, pixel, palette[index] ?? black);
      } else if (bitCount === 24) {
        const at = source + x * 3;
        const offset = pixel * 4;
        out[offset] = bytes[at + 2]!;
        out[offset + 1] = bytes[at + 1]!;
        out[offset + 2] = bytes[at]!;
        out[offset + 3] = 255;
      } else {
        const packed = bitCount === 16 ? bytes.readUInt16LE(source + x * 2) : bytes.readUInt32LE(source + x * 4);
        const offset = pixel * 4;
        out[offset] = red?.(packed) ?? 0;
        out[offset + 1] = green?.(packed) ?? 0;
        out[offset + 2] = blue?.(packed) ?? 0;
        const value = alpha ? alpha(packed) : 255;
        out[offset + 3] = value;
        if (alpha && value !== 0) anyAlpha = true;
      }
    }
  }
  if (!alpha) return 'none';
  return anyAlpha ? 'present' : 'all-zero';
}

/** Icons below 32 bits (and 32-bit ones with unset alpha) mark transparent pixels with a 1 in a 1-bit mask after the colours. */
function applyAndMask(bytes: Buffer, maskOffset: number, end: number, header: DibHeader, out: Buffer): void {
  const stride = Math.floor((header.width + 31) / 32) * 4;
  // Some writers leave the mask out; the icon is then opaque.
  if (maskOffset + stride * header.rows > end) return;
  for (let row = 0; row < header.rows; row++) {
    const source = maskOffset + row * stride;
    const first = (header.rows - 1 - row) * header.width;
    for (let x = 0; x < header.width; x++) {
      if ((bytes[source + (x >> 3)]! >> (7 - (x & 7))) & 1) out[(first + x) * 4 + 3] = 0;
    }
  }
}

/**
 * RLE8 and RLE4: pairs of (count, colour) runs, and escapes for end of line, end of bitmap, a
 * jump ahead, and literal runs padded to 16 bits. Every step consumes input, so a hostile
 * stream ends when the bytes do.
 */
function decodeRle(bytes: Buffer, start: number, end: number, header: DibHeader, palette: Palette, out: Buffer, format: 'bmp' | 'ico'): void {
  const { width, rows } = header;
  const fourBit = header.compression === compression.rle4;
  let x = 0;
  let row = 0;
  const put = (index: number) => {
    if (x < width && row < rows) putColour(out, (rows - 1 - row) * width + x, palette[index] ?? black);
    x++;
  };
  let at = start;
  while (at + 1 < end && row < rows) {
    const count = bytes[at]!;
    const value = bytes[at + 1]!;
    at += 2;
    if (count > 0) {
      for (let k = 0; k < count; k++) put(fourBit ? (k % 2 === 0 ? value >> 4 : value & 0x0f) : value);
    } else if (value === 0) {
      x = 0;
      row++;
    } else if (value === 1) {
      return;
    } else if (value === 2) {
      if (at + 1 >= end) break;
      x += bytes[at]!;
      row += bytes[at + 1]!;
      at += 2;
    } else {
      const byteCount = fourBit ? Math.ceil(value / 2) : value;
      if (at + byteCount > end) throw invalidInput(format, 'a run-length literal is cut short');
      for (let k = 0; k < value; k++) put(fourBit ? (k % 2 === 0 ? bytes[at + (k >> 1)]! >> 4 : bytes[at + (k >> 1)]! & 0x0f) : bytes[at + k]!);
      at += byteCount + (byteCount & 1);
    }
  }
}
