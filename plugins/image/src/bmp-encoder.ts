import { withoutOpaqueAlpha, type RawImage } from './raw-image.js';

const fileHeaderSize = 14;
const infoHeaderSize = 40;
const v4HeaderSize = 108;
/** 72 dots per inch, in the pixels per metre BMP stores. */
const pixelsPerMetre = 2835;

/**
 * Encodes pixels as a bottom-up BMP: 24-bit with a BITMAPINFOHEADER for an opaque image (read
 * by everything), 32-bit with a BITMAPV4HEADER and an alpha mask when there is transparency.
 */
export function encodeBmp(pixels: RawImage): Buffer {
  const image = withoutOpaqueAlpha(pixels);
  const { width, height, data } = image;
  const hasAlpha = image.channels === 4;
  const bytesPerPixel = hasAlpha ? 4 : 3;
  const headerSize = hasAlpha ? v4HeaderSize : infoHeaderSize;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  const pixelOffset = fileHeaderSize + headerSize;
  const file = Buffer.alloc(pixelOffset + stride * height);

  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(pixelOffset, 10);

  const at = fileHeaderSize;
  file.writeUInt32LE(headerSize, at);
  file.writeInt32LE(width, at + 4);
  file.writeInt32LE(height, at + 8); // positive: rows stored bottom-up
  file.writeUInt16LE(1, at + 12); // planes
  file.writeUInt16LE(bytesPerPixel * 8, at + 14);
  file.writeUInt32LE(hasAlpha ? 3 : 0, at + 16); // BI_BITFIELDS : BI_RGB
  file.writeUInt32LE(stride * height, at + 20);
  file.writeInt32LE(pixelsPerMetre, at + 24);
  file.writeInt32LE(pixelsPerMetre, at + 28);
  if (hasAlpha) {
    file.writeUInt32LE(0x00ff0000, at + 40);
    file.writeUInt32LE(0x0000ff00, at + 44);
    file.writeUInt32LE(0x000000ff, at + 48);
    file.writeUInt32LE(0xff000000, at + 52);
    file.write('BGRs', at + 56, 'latin1'); // LCS_sRGB, stored little-endian as 'sRGB'
  }

  for (let y = 0; y < height; y++) {
    let target = pixelOffset + (height - 1 - y) * stride;
    let source = y * width * image.channels;
    for (let x = 0; x < width; x++, source += image.channels, target += bytesPerPixel) {
      file[target] = data[source + 2]!;
      file[target + 1] = data[source + 1]!;
      file[target + 2] = data[source]!;
      if (hasAlpha) file[target + 3] = data[source + 3]!;
    }
  }
  return file;
}
